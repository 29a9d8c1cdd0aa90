-- +goose Up
-- PDFs, JPEGs and PNGs are compressed already: PostgreSQL's TOAST compression would spend a
-- write's time to save nothing. EXTERNAL keeps them out of line, uncompressed.
ALTER TABLE document_files ALTER COLUMN content SET STORAGE EXTERNAL;

-- +goose Down
ALTER TABLE document_files ALTER COLUMN content SET STORAGE EXTENDED;

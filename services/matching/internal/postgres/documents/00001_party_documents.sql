-- +goose Up
-- Matching's copy of the desk's documents (its events), for the approval gate (SPEC §6): a
-- match is not approved while a document of either party is not VERIFIED or expires before
-- the stay starts. A migration set of its own (matching_documents_schema_version).
CREATE TABLE party_documents (
    document_id  uuid PRIMARY KEY,
    programme_id text        NOT NULL,
    owner_id     uuid        NOT NULL,
    kind         text        NOT NULL,
    status       text        NOT NULL,
    expiry_date  date,
    updated_at   timestamptz NOT NULL
);
CREATE INDEX party_documents_owner ON party_documents (owner_id);

-- +goose Down
DROP TABLE party_documents;

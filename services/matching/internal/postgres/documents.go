package postgres

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/pg"
)

//go:embed documents/*.sql
var documentMigrations embed.FS

// documentSet is the schema of the copy of the desk's documents, apart from the service's own
// migrations.
func documentSet() pg.Migrations {
	sub, err := fs.Sub(documentMigrations, "documents")
	if err != nil {
		panic("matching: embedded document migrations: " + err.Error()) // "documents" is a valid path
	}
	return pg.Migrations{Table: "matching_documents_schema_version", FS: sub}
}

// PartyDocument is the desk's document as its events told matching.
type PartyDocument struct {
	ID, ProgrammeID, OwnerID, Kind, Status string
	// ExpiryDate is YYYY-MM-DD, "" when none.
	ExpiryDate string
}

// SaveDocument keeps a document's latest state: an older event arriving late changes nothing.
func (s *Store) SaveDocument(ctx context.Context, d PartyDocument, at time.Time) error {
	var expiry any
	if d.ExpiryDate != "" {
		expiry = d.ExpiryDate
	}
	_, err := s.db.Exec(ctx, `INSERT INTO party_documents (document_id, programme_id, owner_id, kind, status, expiry_date, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (document_id) DO UPDATE SET status = EXCLUDED.status, expiry_date = EXCLUDED.expiry_date, updated_at = EXCLUDED.updated_at
		WHERE party_documents.updated_at <= EXCLUDED.updated_at`,
		d.ID, d.ProgrammeID, d.OwnerID, d.Kind, d.Status, expiry, at)
	if err != nil {
		return fmt.Errorf("save document %s: %w", d.ID, err)
	}
	return nil
}

// DocumentsOf returns the documents of the people named, by owner then kind.
func (s *Store) DocumentsOf(ctx context.Context, ownerIDs ...string) ([]PartyDocument, error) {
	rows, err := s.db.Query(ctx, `SELECT document_id::text, programme_id, owner_id::text, kind, status, COALESCE(to_char(expiry_date, 'YYYY-MM-DD'), '')
		FROM party_documents WHERE owner_id = ANY($1::uuid[]) ORDER BY owner_id, kind, document_id`, ownerIDs)
	if err != nil {
		return nil, fmt.Errorf("read documents: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (PartyDocument, error) {
		var d PartyDocument
		err := r.Scan(&d.ID, &d.ProgrammeID, &d.OwnerID, &d.Kind, &d.Status, &d.ExpiryDate)
		return d, err
	})
}

// DeleteDocumentsOf forgets a person's documents (erasure).
func (s *Store) DeleteDocumentsOf(ctx context.Context, ownerID string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM party_documents WHERE owner_id = $1`, ownerID); err != nil {
		return fmt.Errorf("forget documents of %s: %w", ownerID, err)
	}
	return nil
}

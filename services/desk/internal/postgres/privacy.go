package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
)

// ErasePerson applies an erasure (SPEC §9) to the desk, in the store's transaction (the
// erasure consumer's, Within): the person's documents and their files go (with the person's row, which
// they hang from), and so do the notes about them and about their matches and contracts
// (free text tied to the person, with their earlier versions), the calls to make to them and
// the life events of their timeline.
func (s *Store) ErasePerson(ctx context.Context, p erasure.Person) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("erase %s: %w", p.ID, err)
	}
	col := "host_id"
	if p.Kind == erasure.Student {
		col = "student_id"
	}
	steps := []struct{ what, sql string }{
		{"files", `DELETE FROM document_files WHERE document_id IN (SELECT id FROM documents WHERE owner_id = $1)`},
		{"documents", `DELETE FROM documents WHERE owner_id = $1`},
		{"notes", `DELETE FROM notes WHERE subject_id = $1
			OR subject_id IN (SELECT id FROM matches WHERE ` + col + ` = $1)
			OR subject_id IN (SELECT id FROM contracts WHERE ` + col + ` = $1)`},
		{"calls", `DELETE FROM calls WHERE recipient_id = $1::text`},
		{"timeline", `DELETE FROM life_events WHERE subject_id = $1`},
		{"person", `DELETE FROM people WHERE id = $1`},
	}
	for _, st := range steps {
		if _, err := tx.Exec(ctx, st.sql, p.ID); err != nil {
			return fmt.Errorf("erase %s: %s: %w", p.ID, st.what, err)
		}
	}
	return nil
}

// errErased: an event about an erased person is dropped (natsx.ErrPermanent), not applied.
var errErased = errors.New("the person was erased")

// Held is what the desk holds about a person, for her export.
type Held struct {
	ProgrammeID, OwnerAccountID string
	Documents, Notes            []json.RawMessage
	Files                       []export.File
}

// HeldAbout returns the person's documents (with their files) and the notes about them,
// with their earlier versions; false when the desk does not know her.
func (s *Store) HeldAbout(ctx context.Context, id string) (Held, bool, error) {
	var h Held
	err := s.pool.QueryRow(ctx, `SELECT programme_id, owner_account_id FROM people WHERE id = $1`, id).Scan(&h.ProgrammeID, &h.OwnerAccountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Held{}, false, nil
	}
	if err != nil {
		return Held{}, false, fmt.Errorf("read person %s: %w", id, err)
	}
	rows, err := s.pool.Query(ctx, `SELECT to_jsonb(d) - 'request_id' FROM documents d WHERE owner_id = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return Held{}, false, fmt.Errorf("export documents of %s: %w", id, err)
	}
	if h.Documents, err = pgx.CollectRows(rows, pgx.RowTo[json.RawMessage]); err != nil {
		return Held{}, false, fmt.Errorf("export documents of %s: %w", id, err)
	}
	rows, err = s.pool.Query(ctx, `SELECT to_jsonb(n) - 'request_id' || jsonb_build_object('history',
			coalesce((SELECT jsonb_agg(to_jsonb(r) ORDER BY r.seq) FROM note_revisions r WHERE r.note_id = n.id), '[]'))
		FROM notes n WHERE subject_id = $1 ORDER BY created_at, id`, id)
	if err != nil {
		return Held{}, false, fmt.Errorf("export notes of %s: %w", id, err)
	}
	if h.Notes, err = pgx.CollectRows(rows, pgx.RowTo[json.RawMessage]); err != nil {
		return Held{}, false, fmt.Errorf("export notes of %s: %w", id, err)
	}
	rows, err = s.pool.Query(ctx, `SELECT id::text, file_name, content_type FROM documents WHERE owner_id = $1 AND has_file ORDER BY created_at, id`, id)
	if err != nil {
		return Held{}, false, fmt.Errorf("export files of %s: %w", id, err)
	}
	type doc struct{ id, name, contentType string }
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (doc, error) {
		var d doc
		return d, r.Scan(&d.id, &d.name, &d.contentType)
	})
	if err != nil {
		return Held{}, false, fmt.Errorf("export files of %s: %w", id, err)
	}
	for _, d := range docs {
		content, err := s.Files.Get(ctx, s.pool, d.id)
		if err != nil {
			return Held{}, false, fmt.Errorf("export file of document %s: %w", d.id, err)
		}
		h.Files = append(h.Files, export.File{Name: d.name, ContentType: d.contentType, Content: content})
	}
	return h, true, nil
}

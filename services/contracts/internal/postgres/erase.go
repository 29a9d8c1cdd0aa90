package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/erasure"
)

// SealYears is how long a sealed contract is kept after its end (SPEC §9).
const SealYears = 5

// ErasePerson applies an erasure (SPEC §9) to the contracts' tables, in the erasure
// consumer's transaction:
//   - each of the person's contracts that was signed (a signature given, or a stay that
//     started) is copied, sealed, with both names, its check-in notes and its incidents' words,
//     to be deleted 5 years after its end (a contract sealed earlier, when the other party was
//     erased, stays as it was sealed);
//   - in the live tables, the free text tied to the person goes: check-in notes and
//     incidents' descriptions and resolutions on their contracts, the reasons of a
//     cancellation, termination or end, and a host's room title;
//   - the person's copy in parties keeps its row, with the neutral placeholder for a name and
//     no account: the other party's contract keeps working, the name replaced.
func ErasePerson(ctx context.Context, tx pgx.Tx, p erasure.Person) error {
	col, kind := "host_id", "HOST"
	if p.Kind == erasure.Student {
		col, kind = "student_id", "STUDENT"
	}
	steps := []struct{ what, sql string }{
		{"seal the signed contracts", `INSERT INTO sealed_contracts (contract_id, programme_id, record, host_name, student_name,
				checkin_notes, incidents, sealed_at, delete_after)
			SELECT c.id, c.programme_id, c.record, coalesce(h.display_name, ''), coalesce(s.display_name, ''),
				(SELECT coalesce(jsonb_agg(jsonb_build_object('id', ch.id, 'notes', ch.record->>'Notes')), '[]')
					FROM checkins ch WHERE ch.contract_id = c.id AND coalesce(ch.record->>'Notes', '') <> ''),
				(SELECT coalesce(jsonb_agg(jsonb_build_object('id', i.id, 'description', i.record->>'Description',
					'resolution', i.record->>'Resolution', 'reporter', i.record->'Reporter')), '[]')
					FROM incidents i WHERE i.contract_id = c.id),
				now(), (coalesce(c.effective_date, c.end_date, c.updated_at::date) + make_interval(years => ` + fmt.Sprint(SealYears) + `))::date
			FROM contracts c
			LEFT JOIN parties h ON h.kind = 'HOST' AND h.id = c.host_id
			LEFT JOIN parties s ON s.kind = 'STUDENT' AND s.id = c.student_id
			WHERE c.` + col + ` = $1 AND (c.status IN ('ACTIVE', 'NOTICE_GIVEN', 'ENDED', 'TERMINATED')
				OR jsonb_array_length(coalesce(nullif(c.record->'Signatures', 'null'::jsonb), '[]')) > 0)
			ON CONFLICT (contract_id) DO NOTHING`},
		{"drop check-in notes", `UPDATE checkins SET record = jsonb_set(record, '{Notes}', '""')
			WHERE contract_id IN (SELECT id FROM contracts WHERE ` + col + ` = $1) AND coalesce(record->>'Notes', '') <> ''`},
		{"drop incidents' words", `UPDATE incidents SET record = record || '{"Description": "", "Resolution": ""}'::jsonb
			WHERE contract_id IN (SELECT id FROM contracts WHERE ` + col + ` = $1)`},
		{"drop reasons", `UPDATE contracts SET record = CASE WHEN jsonb_typeof(record->'Termination') = 'object'
				THEN jsonb_set(record || '{"CancelReason": "", "EndReason": ""}'::jsonb, '{Termination,Reason}', '""')
				ELSE record || '{"CancelReason": "", "EndReason": ""}'::jsonb END
			WHERE ` + col + ` = $1`},
	}
	for _, st := range steps {
		if _, err := tx.Exec(ctx, st.sql, p.ID); err != nil {
			return fmt.Errorf("erase %s: %s: %w", p.ID, st.what, err)
		}
	}
	if p.Kind == erasure.Host {
		// The room's title is the host's words (often her name: "la chambre de Jeanne").
		if _, err := tx.Exec(ctx, `UPDATE contracts SET record = jsonb_set(record, '{Terms,RoomTitle}', to_jsonb($2::text))
			WHERE host_id = $1`, p.ID, erasure.Placeholder); err != nil {
			return fmt.Errorf("erase %s: the room's title: %w", p.ID, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE parties SET display_name = $3, owner_account_id = NULL WHERE kind = $1 AND id = $2`,
		kind, p.ID, erasure.Placeholder); err != nil {
		return fmt.Errorf("erase %s: replace the name: %w", p.ID, err)
	}
	return erasure.ForgetPublished(ctx, tx, p.ID)
}

// DropExpiredSeals deletes the sealed contracts whose 5 years after their end are over,
// and says how many.
func (s *Store) DropExpiredSeals(ctx context.Context, today time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM sealed_contracts WHERE delete_after < $1::date`, today)
	if err != nil {
		return 0, fmt.Errorf("drop expired sealed contracts: %w", err)
	}
	return tag.RowsAffected(), nil
}

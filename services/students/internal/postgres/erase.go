package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// EraseStudent erases student id (SPEC §9) in one transaction: it locks the student (the
// placements' consumer locks her first too, so no match is applied meanwhile), counts her
// placements agreed or under way (MATCHED or PLACED), lets fn refuse or give the erasure's
// events, then deletes her placements, applications and record, remembers her id as erased,
// and forgets the published events that named her. Errors: fn's, ErrStudentNotFound, the
// database's.
func (s *Store) EraseStudent(ctx context.Context, id string, fn func(st *student.Student, stays int) ([]*eventsv1.Envelope, error)) error {
	if !ids.Valid(id) {
		return ErrStudentNotFound
	}
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		st, err := scanStudent(tx.QueryRow(ctx, `SELECT record FROM students WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		var stays int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM placements WHERE student_id = $1 AND status IN ('MATCHED', 'PLACED')`, id).Scan(&stays); err != nil {
			return fmt.Errorf("count stays of student %s: %w", id, err)
		}
		events, err := fn(st, stays)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM placements WHERE student_id = $1`,
			`DELETE FROM applications WHERE student_id = $1`,
			`DELETE FROM students WHERE id = $1`,
		} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return fmt.Errorf("erase student %s: %w", id, err)
			}
		}
		return erasure.Finish(ctx, tx, erasure.Person{ID: id, Kind: erasure.Student}, events...)
	})
}

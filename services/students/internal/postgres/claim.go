package postgres

import (
	"context"
	"fmt"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// UpdateStudentIn locks student id for an event handler, lets fn change it and return its
// events, and stores both in the store's transaction, the event's inbox transaction (Within).
// Errors: ErrStudentNotFound, fn's.
func (s *Store) UpdateStudentIn(ctx context.Context, id string, fn func(*student.Student) ([]*eventsv1.Envelope, error)) error {
	tx, err := s.inTx()
	if err != nil {
		return err
	}
	if !ids.Valid(id) {
		return ErrStudentNotFound
	}
	err = func() error {
		st, err := scanStudent(tx.QueryRow(ctx, `SELECT record FROM students WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		events, err := fn(st)
		if err != nil || len(events) == 0 {
			return err
		}
		if err := writeStudent(ctx, tx, st); err != nil {
			return err
		}
		return outbox.Append(ctx, tx, events...)
	}()
	if err != nil {
		return fmt.Errorf("student %s: %w", id, err)
	}
	return nil
}

// UnclaimedStudentWithEmail reports whether programmeID has a student registered by a
// coordinator, not archived and owned by no account yet, whose email is email (normalised).
func (s *Store) UnclaimedStudentWithEmail(ctx context.Context, programmeID, email string) (bool, error) {
	var found bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM students WHERE programme_id = $1 AND owner_account_id IS NULL
		AND status <> 'ARCHIVED' AND record->'Profile'->>'Email' = $2)`, programmeID, email).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("look for an unclaimed student: %w", err)
	}
	return found, nil
}

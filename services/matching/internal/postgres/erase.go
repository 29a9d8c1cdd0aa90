package postgres

import (
	"context"
	"fmt"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

// ErasePerson applies an erasure (SPEC §9) to matching's tables, in the erasure consumer's
// transaction (s is bound to it): every match of the person is locked and handed to fn (which
// blanks the person's summary and free text, and cancels an open one, giving its event);
// the person's rows leave the pool (the pool_versions triggers then tell every replica's
// in-memory rankings to rebuild without them); the published events that named the person
// are forgotten.
func (s *Store) ErasePerson(ctx context.Context, p erasure.Person, fn func(m *match.Match) ([]*eventsv1.Envelope, error)) error {
	col, purges := "host_id", []string{`DELETE FROM pool_rooms WHERE host_id = $1`, `DELETE FROM pool_hosts WHERE host_id = $1`}
	if p.Kind == erasure.Student {
		col, purges = "student_id", []string{`DELETE FROM pool_applications WHERE student_id = $1`, `DELETE FROM pool_students WHERE student_id = $1`}
	}
	if _, err := s.updateLocked(ctx, "erase the matches of "+p.ID,
		`SELECT record FROM matches WHERE `+col+` = $1 ORDER BY id FOR UPDATE`, []any{p.ID}, fn); err != nil {
		return err
	}
	for _, q := range purges {
		if _, err := s.db.Exec(ctx, q, p.ID); err != nil {
			return fmt.Errorf("purge %s from the pool: %w", p.ID, err)
		}
	}
	if s.tx == nil {
		return fmt.Errorf("erase %s: not in the consumer's transaction", p.ID)
	}
	return erasure.ForgetPublished(ctx, s.tx, p.ID)
}

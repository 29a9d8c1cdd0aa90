package postgres

import (
	"context"
	"fmt"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/outbox"
)

// UpdateHostIn is UpdateHost for an event handler, in the store's transaction, the event's
// inbox transaction (Within). Errors: ErrHostNotFound, fn's.
func (s *Store) UpdateHostIn(ctx context.Context, id string, fn func(*host.Host) ([]*eventsv1.Envelope, error)) error {
	tx, err := s.inTx()
	if err != nil {
		return err
	}
	if !ids.Valid(id) {
		return ErrHostNotFound
	}
	err = func() error {
		h, err := scanHost(tx.QueryRow(ctx, `SELECT record FROM hosts WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		events, err := fn(h)
		if err != nil || len(events) == 0 {
			return err
		}
		if err := writeHost(ctx, tx, h); err != nil {
			return err
		}
		return outbox.Append(ctx, tx, events...)
	}()
	if err != nil {
		return fmt.Errorf("host %s: %w", id, err)
	}
	return nil
}

// UnclaimedHostWithEmail reports whether programmeID has a host registered by a coordinator,
// not archived and owned by no account yet, whose email is email (normalised).
func (s *Store) UnclaimedHostWithEmail(ctx context.Context, programmeID, email string) (bool, error) {
	var found bool
	err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM hosts WHERE programme_id = $1 AND owner_account_id IS NULL
		AND status <> 'ARCHIVED' AND record->'Profile'->>'Email' = $2)`, programmeID, email).Scan(&found)
	if err != nil {
		return false, fmt.Errorf("look for an unclaimed host: %w", err)
	}
	return found, nil
}

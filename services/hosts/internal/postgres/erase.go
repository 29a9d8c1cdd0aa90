package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// EraseHost erases host id (SPEC §9) in one transaction: it locks the host and counts her
// stays (share-locking her rooms, so that none is reserved meanwhile), lets fn refuse or
// give the erasure's events, then deletes her rooms, their holds and her record, remembers
// her id as erased, and forgets the published events that named her. Deleting rather than
// blanking leaves nothing to leak through a list, a search or a later change: the id in
// erased_people is all that remains. Errors: fn's, ErrHostNotFound, the database's.
func (s *Store) EraseHost(ctx context.Context, id string, fn func(h *host.Host, stays int) ([]*eventsv1.Envelope, error)) error {
	if !ids.Valid(id) {
		return ErrHostNotFound
	}
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		h, err := scanHost(tx.QueryRow(ctx, `SELECT record FROM hosts WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		n, err := staysOf(ctx, tx, id)
		if err != nil {
			return err
		}
		events, err := fn(h, n)
		if err != nil {
			return err
		}
		for _, q := range []string{
			`DELETE FROM room_holds WHERE room_id IN (SELECT id FROM rooms WHERE host_id = $1)`,
			`DELETE FROM rooms WHERE host_id = $1`,
			`DELETE FROM hosts WHERE id = $1`,
		} {
			if _, err := tx.Exec(ctx, q, id); err != nil {
				return fmt.Errorf("erase host %s: %w", id, err)
			}
		}
		return erasure.Finish(ctx, tx, erasure.Person{ID: id, Kind: erasure.Host}, events...)
	})
}

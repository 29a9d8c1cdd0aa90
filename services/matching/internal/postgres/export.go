package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/matching/internal/match"
)

// PoolCopy is what matching copied of a person (and of her rooms or applications), for her
// export.
type PoolCopy struct {
	ProgrammeID, OwnerAccountID string
	Profile                     json.RawMessage
	Items                       []json.RawMessage
}

// PoolCopyOf returns the pool's copy of host or student id; false when matching has none.
func (s *Store) PoolCopyOf(ctx context.Context, host bool, id string) (PoolCopy, bool, error) {
	person, items := `SELECT programme_id, coalesce(owner_account_id, ''), profile FROM pool_hosts WHERE host_id = $1`,
		`SELECT profile FROM pool_rooms WHERE host_id = $1 ORDER BY room_id`
	if !host {
		person, items = `SELECT programme_id, coalesce(owner_account_id, ''), profile FROM pool_students WHERE student_id = $1`,
			`SELECT profile FROM pool_applications WHERE student_id = $1 ORDER BY application_id`
	}
	var c PoolCopy
	err := s.db.QueryRow(ctx, person, id).Scan(&c.ProgrammeID, &c.OwnerAccountID, &c.Profile)
	if errors.Is(err, pgx.ErrNoRows) {
		return PoolCopy{}, false, nil
	}
	if err != nil {
		return PoolCopy{}, false, fmt.Errorf("read the pool's copy of %s: %w", id, err)
	}
	rows, err := s.db.Query(ctx, items, id)
	if err != nil {
		return PoolCopy{}, false, fmt.Errorf("read the pool's items of %s: %w", id, err)
	}
	if c.Items, err = pgx.CollectRows(rows, pgx.RowTo[json.RawMessage]); err != nil {
		return PoolCopy{}, false, fmt.Errorf("read the pool's items of %s: %w", id, err)
	}
	return c, true, nil
}

// MatchesOfPerson returns every match where host or student id is a party, in id order.
func (s *Store) MatchesOfPerson(ctx context.Context, host bool, id string) ([]*match.Match, error) {
	col := "student_id"
	if host {
		col = "host_id"
	}
	rows, err := s.db.Query(ctx, `SELECT record FROM matches WHERE `+col+` = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("list matches of %s: %w", id, err)
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*match.Match, error) { return scanMatch(row) })
}

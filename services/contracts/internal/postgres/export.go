package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Held is what the contracts service holds about a person, for her export: her contracts,
// their check-ins and incidents, as stored (no other person's name: the contracts carry the
// parties by id; names live in parties).
type Held struct {
	ProgrammeID, OwnerAccountID    string
	Contracts, Checkins, Incidents []json.RawMessage
}

// HeldAbout returns what the service holds about the party of kind ("HOST" or "STUDENT") and
// id; false when it has no copy of her.
func (s *Store) HeldAbout(ctx context.Context, kind, id string) (Held, bool, error) {
	var h Held
	err := s.pool.QueryRow(ctx, `SELECT programme_id, coalesce(owner_account_id, '') FROM parties WHERE kind = $1 AND id = $2`, kind, id).
		Scan(&h.ProgrammeID, &h.OwnerAccountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return Held{}, false, nil
	}
	if err != nil {
		return Held{}, false, fmt.Errorf("read party %s: %w", id, err)
	}
	col := "host_id"
	if kind == "STUDENT" {
		col = "student_id"
	}
	for _, q := range []struct {
		sql  string
		into *[]json.RawMessage
	}{
		{`SELECT record FROM contracts WHERE ` + col + ` = $1 ORDER BY id`, &h.Contracts},
		{`SELECT ch.record FROM checkins ch JOIN contracts c ON c.id = ch.contract_id WHERE c.` + col + ` = $1 ORDER BY ch.due_date, ch.id`, &h.Checkins},
		{`SELECT i.record FROM incidents i JOIN contracts c ON c.id = i.contract_id WHERE c.` + col + ` = $1 ORDER BY i.id`, &h.Incidents},
	} {
		rows, err := s.pool.Query(ctx, q.sql, id)
		if err != nil {
			return Held{}, false, fmt.Errorf("export %s: %w", id, err)
		}
		if *q.into, err = pgx.CollectRows(rows, pgx.RowTo[json.RawMessage]); err != nil {
			return Held{}, false, fmt.Errorf("export %s: %w", id, err)
		}
	}
	return h, true, nil
}

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/erasure"
)

// LastActivities returns every host's last activity, for the retention job: when
// her record, one of her rooms, or a stay in one last changed.
func (s *Store) LastActivities(ctx context.Context) ([]erasure.Activity, error) {
	rows, err := s.pool.Query(ctx, `SELECT h.id::text, h.programme_id,
			greatest(h.updated_at, coalesce(max(r.updated_at), h.updated_at), coalesce(max(rh.updated_at), h.updated_at))
		FROM hosts h LEFT JOIN rooms r ON r.host_id = h.id LEFT JOIN room_holds rh ON rh.room_id = r.id
		GROUP BY h.id ORDER BY h.id`)
	if err != nil {
		return nil, fmt.Errorf("read hosts' activity: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (erasure.Activity, error) {
		var a erasure.Activity
		return a, r.Scan(&a.ID, &a.ProgrammeID, &a.Last)
	})
	if err != nil {
		return nil, fmt.Errorf("read hosts' activity: %w", err)
	}
	return out, nil
}

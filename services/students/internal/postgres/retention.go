package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/erasure"
)

// LastActivities returns every student's last activity, for the retention job: when
// her record, an application, or a placement last changed.
func (s *Store) LastActivities(ctx context.Context) ([]erasure.Activity, error) {
	rows, err := s.pool.Query(ctx, `SELECT st.id::text, st.programme_id,
			greatest(st.updated_at,
				coalesce((SELECT max(a.updated_at) FROM applications a WHERE a.student_id = st.id), st.updated_at),
				coalesce((SELECT max(p.updated_at) FROM placements p WHERE p.student_id = st.id), st.updated_at))
		FROM students st ORDER BY st.id`)
	if err != nil {
		return nil, fmt.Errorf("read students' activity: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (erasure.Activity, error) {
		var a erasure.Activity
		return a, r.Scan(&a.ID, &a.ProgrammeID, &a.Last)
	})
	if err != nil {
		return nil, fmt.Errorf("read students' activity: %w", err)
	}
	return out, nil
}

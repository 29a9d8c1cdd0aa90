package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Activity is when a student last changed: her record, an application, or a placement.
type Activity struct {
	StudentID, ProgrammeID string
	Last                   time.Time
}

// LastActivities returns every student's last activity, for the retention job.
func (s *Store) LastActivities(ctx context.Context) ([]Activity, error) {
	rows, err := s.pool.Query(ctx, `SELECT st.id::text, st.programme_id,
			greatest(st.updated_at,
				coalesce((SELECT max(a.updated_at) FROM applications a WHERE a.student_id = st.id), st.updated_at),
				coalesce((SELECT max(p.updated_at) FROM placements p WHERE p.student_id = st.id), st.updated_at))
		FROM students st ORDER BY st.id`)
	if err != nil {
		return nil, fmt.Errorf("read students' activity: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Activity, error) {
		var a Activity
		return a, r.Scan(&a.StudentID, &a.ProgrammeID, &a.Last)
	})
	if err != nil {
		return nil, fmt.Errorf("read students' activity: %w", err)
	}
	return out, nil
}

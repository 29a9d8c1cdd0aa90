package postgres

import (
	"context"
	"fmt"
	"time"
)

// AttemptsRetention is how long a sign-in's failures are kept after the last one: the
// lockout they feed grows for a day at most, and the email typed (an erased person's, a
// mistyped one, someone else's) is personal data that must not stay longer than it serves.
const AttemptsRetention = 30 * 24 * time.Hour

// PurgeLoginAttempts deletes the sign-in failures whose last attempt is older than
// AttemptsRetention before now and that lock nothing any more, and says how many.
func (s *Store) PurgeLoginAttempts(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM login_attempts
		WHERE coalesce(last_attempt_at, '-infinity') < $1 AND coalesce(locked_until, '-infinity') < $2`,
		now.Add(-AttemptsRetention), now)
	if err != nil {
		return 0, fmt.Errorf("purge sign-in attempts: %w", err)
	}
	return tag.RowsAffected(), nil
}

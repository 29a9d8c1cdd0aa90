package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/identity/internal/testdb"
)

// TestPurgeLoginAttempts: failures a month old that lock nothing go (with the email typed);
// recent ones, and any still locking, stay.
func TestPurgeLoginAttempts(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	for email, at := range map[string][2]any{
		"old@example.org":    {now.Add(-31 * 24 * time.Hour), nil},
		"recent@example.org": {now.Add(-time.Hour), nil},
		"locked@example.org": {now.Add(-31 * 24 * time.Hour), now.Add(time.Hour)},
	} {
		if _, err := pool.Exec(ctx, `INSERT INTO login_attempts (email, failures, last_attempt_at, locked_until) VALUES ($1, 3, $2, $3)`, email, at[0], at[1]); err != nil {
			t.Fatal(err)
		}
	}
	n, err := postgres.New(pool).PurgeLoginAttempts(ctx, now)
	if err != nil || n != 1 {
		t.Fatalf("purged %d, %v; want 1", n, err)
	}
	var left []string
	rows, _ := pool.Query(ctx, `SELECT email FROM login_attempts ORDER BY email`)
	for rows.Next() {
		var e string
		_ = rows.Scan(&e)
		left = append(left, e)
	}
	if len(left) != 2 || left[0] != "locked@example.org" || left[1] != "recent@example.org" {
		t.Errorf("left %v", left)
	}
}

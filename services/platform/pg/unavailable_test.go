package pg_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/pg"
)

// What a failover does to a service's connections, on a real server: a connection the server
// ends, and no server at all, are "unavailable"; a wrong statement is not.
func TestIsUnavailable(t *testing.T) {
	t.Parallel()
	url := emptyDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	victim, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer victim.Close(ctx)
	var pid int
	if err := victim.QueryRow(ctx, "SELECT pg_backend_pid()").Scan(&pid); err != nil {
		t.Fatal(err)
	}
	killer := open(t, url)
	if _, err := killer.Exec(ctx, "SELECT pg_terminate_backend($1)", pid); err != nil {
		t.Fatal(err)
	}
	_, terminated := victim.Exec(ctx, "SELECT 1")
	if terminated == nil || !pg.IsUnavailable(fmt.Errorf("get host: %w", terminated)) {
		t.Errorf("IsUnavailable(%v) = false on a connection the server ended", terminated)
	}

	_, refused := pgx.Connect(ctx, "postgres://postgres@127.0.0.1:1/x?sslmode=disable&connect_timeout=2")
	if refused == nil || !pg.IsUnavailable(refused) {
		t.Errorf("IsUnavailable(%v) = false with no server", refused)
	}

	_, wrong := killer.Exec(ctx, "SELECT * FROM no_such_table")
	for _, err := range []error{nil, errors.New("plain"), wrong} {
		if pg.IsUnavailable(err) {
			t.Errorf("IsUnavailable(%v) = true", err)
		}
	}
}

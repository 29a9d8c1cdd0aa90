package inbox_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

// newDB returns a fresh database with the platform tables and a counter table that the
// handlers under test increment.
func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	schema := "platform_" + pgtest.Hash(outbox.Migrations().FS) + pgtest.Hash(inbox.Migrations().FS)
	pool := pgtest.New(t, schema, func(ctx context.Context, url string) error {
		return pg.Migrate(ctx, url, outbox.Migrations(), inbox.Migrations())
	})
	if _, err := pool.Exec(context.Background(), `CREATE TABLE applied (event_id uuid PRIMARY KEY, n int NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return pool
}

// apply is the change a handler makes: it counts how many times event was applied.
func apply(ctx context.Context, eventID string) func(pgx.Tx) error {
	return func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO applied (event_id, n) VALUES ($1, 1)
			ON CONFLICT (event_id) DO UPDATE SET n = applied.n + 1`, eventID)
		return err
	}
}

func applied(t *testing.T, pool *pgxpool.Pool, eventID string) int {
	t.Helper()
	var n int
	err := pool.QueryRow(context.Background(), `SELECT n FROM applied WHERE event_id = $1`, eventID).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func claims(t *testing.T, pool *pgxpool.Pool, consumer, eventID string) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = $2`, consumer, eventID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestHandleTwiceAppliesOnce(t *testing.T) {
	t.Parallel()
	pool := newDB(t)
	ctx := context.Background()
	id := uuid.NewString()

	calls := 0
	fn := func(tx pgx.Tx) error { calls++; return apply(ctx, id)(tx) }
	for range 2 {
		if err := inbox.Handle(ctx, pool, "matching-hosts", id, fn); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Fatalf("fn called %d times, want once", calls)
	}
	if n := applied(t, pool, id); n != 1 {
		t.Fatalf("applied %d times, want once", n)
	}

	// The claim is per consumer: another consumer of the same event handles it too.
	if err := inbox.Handle(ctx, pool, "contracts-hosts", id, apply(ctx, id)); err != nil {
		t.Fatal(err)
	}
	if n := applied(t, pool, id); n != 2 {
		t.Fatalf("applied %d times after a second consumer, want 2", n)
	}
}

func TestHandleFailureReleasesClaim(t *testing.T) {
	t.Parallel()
	pool := newDB(t)
	ctx := context.Background()
	id := uuid.NewString()
	boom := errors.New("state not there yet")

	err := inbox.Handle(ctx, pool, "c", id, func(tx pgx.Tx) error {
		// The change is made, then the handler fails: both must roll back.
		if err := apply(ctx, id)(tx); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Handle returned %v, want the handler's error", err)
	}
	if n := applied(t, pool, id); n != 0 {
		t.Fatalf("a failed handler's change stayed: applied %d", n)
	}
	if n := claims(t, pool, "c", id); n != 0 {
		t.Fatal("a failed handler's claim stayed: the retry would be skipped")
	}

	// The redelivery applies it.
	if err := inbox.Handle(ctx, pool, "c", id, apply(ctx, id)); err != nil {
		t.Fatal(err)
	}
	if n := applied(t, pool, id); n != 1 {
		t.Fatalf("applied %d times after the retry, want once", n)
	}
	if n := claims(t, pool, "c", id); n != 1 {
		t.Fatalf("%d claims after the retry, want 1", n)
	}
}

func TestHandleConcurrentAppliesOnce(t *testing.T) {
	t.Parallel()
	pool := newDB(t)
	ctx := context.Background()
	id := uuid.NewString()

	const workers = 8
	var (
		wg    sync.WaitGroup
		start = make(chan struct{})
		errc  = make(chan error, workers)
	)
	for range workers {
		wg.Go(func() {
			<-start
			errc <- inbox.Handle(ctx, pool, "c", id, func(tx pgx.Tx) error {
				// Holding the claim a little longer makes the others queue behind it.
				if _, err := tx.Exec(ctx, `SELECT pg_sleep(0.05)`); err != nil {
					return err
				}
				return apply(ctx, id)(tx)
			})
		})
	}
	close(start)
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("Handle: %v", err)
		}
	}
	if n := applied(t, pool, id); n != 1 {
		t.Fatalf("applied %d times by %d concurrent handlers, want once", n, workers)
	}
}

// TestHandleConcurrentWithFailure: while one handler holds the claim and then fails, the
// others wait for it; one of them then applies the event, once.
func TestHandleConcurrentWithFailure(t *testing.T) {
	t.Parallel()
	pool := newDB(t)
	ctx := context.Background()
	id := uuid.NewString()
	boom := errors.New("transient")

	claimed := make(chan struct{})
	release := make(chan struct{})
	failed := make(chan error, 1)
	go func() {
		failed <- inbox.Handle(ctx, pool, "c", id, func(tx pgx.Tx) error {
			close(claimed)
			<-release
			return boom
		})
	}()
	<-claimed

	// The pool has 4 connections: the failing handler, the watcher below and two more.
	watch, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer watch.Release()
	const workers = 2
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for range workers {
		wg.Go(func() { errc <- inbox.Handle(ctx, pool, "c", id, apply(ctx, id)) })
	}
	// Let go of the claim only once every other handler is blocked on it.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var waiting int
		if err := watch.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting == workers {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d handlers waiting on the claim, want %d", waiting, workers)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(release)
	if err := <-failed; !errors.Is(err, boom) {
		t.Fatalf("first handler returned %v, want its error", err)
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("Handle: %v", err)
		}
	}
	if n := applied(t, pool, id); n != 1 {
		t.Fatalf("applied %d times, want once", n)
	}
}

package pg_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

// emptyDB returns the URL of a fresh database with nothing in it.
func emptyDB(t *testing.T) string {
	t.Helper()
	return pgtest.NewURL(t, "pg_empty", func(context.Context, string) error { return nil })
}

func open(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pg.Open(ctx, url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func rows(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM t`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestInTx(t *testing.T) {
	t.Parallel()
	pool := open(t, emptyDB(t))
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE t (id int PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	insert := func(id int) func(pgx.Tx) error {
		return func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO t (id) VALUES ($1)`, id)
			return err
		}
	}

	if err := pg.InTx(ctx, pool, insert(1)); err != nil {
		t.Fatal(err)
	}
	if n := rows(t, pool); n != 1 {
		t.Fatalf("%d rows after a commit, want 1", n)
	}

	boom := errors.New("boom")
	err := pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := insert(2)(tx); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want fn's error", err)
	}
	if n := rows(t, pool); n != 1 {
		t.Fatalf("%d rows after a failed fn, want 1 (rolled back)", n)
	}

	func() {
		defer func() {
			if r := recover(); r != "fn panicked" {
				t.Fatalf("recovered %v, want fn's panic", r)
			}
		}()
		_ = pg.InTx(ctx, pool, func(tx pgx.Tx) error {
			if err := insert(3)(tx); err != nil {
				return err
			}
			panic("fn panicked")
		})
	}()
	if n := rows(t, pool); n != 1 {
		t.Fatalf("%d rows after a panicking fn, want 1 (rolled back)", n)
	}
	if n := pool.Stat().AcquiredConns(); n != 0 {
		t.Fatalf("%d connections still acquired after InTx returned", n)
	}

	// A transaction on a single connection works the same.
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if err := pg.InTx(ctx, conn, insert(4)); err != nil {
		t.Fatal(err)
	}
	if n := rows(t, pool); n != 2 {
		t.Fatalf("%d rows after a commit on a connection, want 2", n)
	}
}

func TestIsUniqueViolation(t *testing.T) {
	t.Parallel()
	pool := open(t, emptyDB(t))
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE t (id int PRIMARY KEY, email text CONSTRAINT t_email_key UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO t VALUES (1, 'a@example.org')`); err != nil {
		t.Fatal(err)
	}

	_, err := pool.Exec(ctx, `INSERT INTO t VALUES (2, 'a@example.org')`)
	if name, ok := pg.IsUniqueViolation(fmt.Errorf("create account: %w", err)); !ok || name != "t_email_key" {
		t.Fatalf("IsUniqueViolation(%v) = %q, %v; want t_email_key, true", err, name, ok)
	}
	_, err = pool.Exec(ctx, `INSERT INTO t VALUES (1, 'b@example.org')`)
	if name, ok := pg.IsUniqueViolation(err); !ok || name != "t_pkey" {
		t.Fatalf("IsUniqueViolation(%v) = %q, %v; want t_pkey, true", err, name, ok)
	}

	_, notUnique := pool.Exec(ctx, `INSERT INTO t VALUES (NULL, 'c@example.org')`) // not-null violation
	for _, err := range []error{nil, errors.New("plain"), notUnique} {
		if name, ok := pg.IsUniqueViolation(err); ok {
			t.Errorf("IsUniqueViolation(%v) = %q, true; want false", err, name)
		}
	}
}

// TestMigrateConcurrentAndIdempotent: replicas starting together migrate once, without error,
// and a second run changes nothing.
func TestMigrateConcurrentAndIdempotent(t *testing.T) {
	t.Parallel()
	url := emptyDB(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	const replicas = 3
	var wg sync.WaitGroup
	errc := make(chan error, replicas)
	for range replicas {
		wg.Go(func() { errc <- pg.Migrate(ctx, url, outbox.Migrations(), inbox.Migrations()) })
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Fatalf("concurrent Migrate: %v", err)
		}
	}
	if err := pg.Migrate(ctx, url, outbox.Migrations(), inbox.Migrations()); err != nil {
		t.Fatalf("second Migrate: %v", err)
	}

	pool := open(t, url)
	for table, set := range map[string]pg.Migrations{"outbox": outbox.Migrations(), "inbox": inbox.Migrations()} {
		files, err := fs.Glob(set.FS, "*.sql")
		if err != nil {
			t.Fatal(err)
		}
		var applied int
		q := fmt.Sprintf(`SELECT count(*) FROM %s_schema_version WHERE version_id > 0 AND is_applied`, table)
		if err := pool.QueryRow(ctx, q).Scan(&applied); err != nil {
			t.Fatalf("%s version table: %v", table, err)
		}
		if applied != len(files) {
			t.Fatalf("%s: %d applied migrations recorded, want %d (each applied once)", table, applied, len(files))
		}
		var exists bool
		if err := pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, table).Scan(&exists); err != nil || !exists {
			t.Fatalf("table %s missing after Migrate (%v)", table, err)
		}
	}
}

func TestOpenUnreachable(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if pool, err := pg.Open(ctx, "postgres://nobody@127.0.0.1:1/none?connect_timeout=2", 0); err == nil {
		pool.Close()
		t.Fatal("Open succeeded on a closed port")
	}
	if _, err := pg.Open(ctx, "::not a url::", 0); err == nil {
		t.Fatal("Open accepted a malformed URL")
	}
}

// Contains takes a person's words literally, checked by real PostgreSQL: % and _ match
// themselves, not any text.
func TestContains(t *testing.T) {
	pool := open(t, emptyDB(t))
	if pg.Contains("  ") != "" {
		t.Fatal("blank text is a filter")
	}
	for _, c := range []struct {
		value, text string
		want        bool
	}{
		{"Jeanne Martin", "martin", true},
		{"Jeanne Martin", "jeanne m", true},
		{"Jeanne Martin", "paul", false},
		{"Remise de 50%", "50%", true},
		{"Remise de 500", "50%", false},
		{"a_b", "a_b", true},
		{"axb", "a_b", false},
		{`C:\dossier`, `c:\d`, true},
	} {
		var got bool
		if err := pool.QueryRow(context.Background(), `SELECT $1::text ILIKE $2`, c.value, pg.Contains(c.text)).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("%q ILIKE Contains(%q) = %v, want %v", c.value, c.text, got, c.want)
		}
	}
}

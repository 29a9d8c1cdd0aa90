package pg_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/pg"
)

// TestAtCommit: statements queued on InTx's transaction run in it, after what fn did, and go
// with COMMIT; one that fails takes the whole transaction back with it and names itself in
// InTx's error; a transaction that rolls back never runs them; savepoints nest; no connection
// is left acquired.
func TestAtCommit(t *testing.T) {
	t.Parallel()
	pool := open(t, emptyDB(t))
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE t (id int PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	queue := func(tx pgx.Tx, id int) {
		q, ok := tx.(pg.AtCommit)
		if !ok {
			t.Fatalf("InTx's transaction is a %T, not pg.AtCommit", tx)
		}
		q.QueueAtCommit("insert", `INSERT INTO t (id) VALUES ($1)`, id)
	}

	// Queued after fn's own insert, they run after it: 2 sees 1 (the check is in SQL).
	err := pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		queue(tx, 2)
		queue(tx, 3)
		_, err := tx.Exec(ctx, `INSERT INTO t (id) VALUES (1)`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := rows(t, pool); n != 3 {
		t.Fatalf("%d rows after a commit with two queued inserts, want 3", n)
	}

	// A queued statement that fails (a duplicate key) rolls back fn's own write.
	err = pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		queue(tx, 1)
		_, err := tx.Exec(ctx, `INSERT INTO t (id) VALUES (4)`)
		return err
	})
	if err == nil || !strings.Contains(err.Error(), "insert") {
		t.Fatalf("InTx with a failing queued statement returned %v, want its error, named", err)
	}
	if name, ok := pg.IsUniqueViolation(err); !ok || name != "t_pkey" {
		t.Fatalf("InTx's error %v does not carry the queued statement's unique violation", err)
	}
	if n := rows(t, pool); n != 3 {
		t.Fatalf("%d rows after a failed queued statement, want 3 (all rolled back)", n)
	}

	// fn's error: nothing queued runs.
	boom := errors.New("boom")
	err = pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		queue(tx, 5)
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("InTx returned %v, want fn's error", err)
	}
	if n := rows(t, pool); n != 3 {
		t.Fatalf("%d rows after fn failed, want 3 (the queued insert never ran)", n)
	}

	// A savepoint rolled back takes its write with it; the transaction goes on.
	err = pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		sp, err := tx.Begin(ctx)
		if err != nil {
			return err
		}
		if _, err := sp.Exec(ctx, `INSERT INTO t (id) VALUES (6)`); err != nil {
			return err
		}
		if err := sp.Rollback(ctx); err != nil {
			return err
		}
		queue(tx, 7)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	r, err := pool.Query(ctx, `SELECT id FROM t ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	if got, err = pgx.CollectRows(r, pgx.RowTo[int]); err != nil {
		t.Fatal(err)
	}
	if want := []int{1, 2, 3, 7}; !slices.Equal(got, want) {
		t.Fatalf("rows %v, want %v", got, want)
	}
	if n := pool.Stat().AcquiredConns(); n != 0 {
		t.Fatalf("%d connections still acquired after InTx returned", n)
	}
	// The connections went back usable: out of any transaction.
	for range 4 {
		if err := pg.InTx(ctx, pool, func(tx pgx.Tx) error { queue(tx, 8); return nil }); err != nil && !strings.Contains(err.Error(), "t_pkey") {
			t.Fatalf("a connection came back in a bad state: %v", err)
		}
	}
}

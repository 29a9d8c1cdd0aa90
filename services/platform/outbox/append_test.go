package outbox_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// TestAppendWakesTheRelayAtCommit: events appended in pg.InTx (queued with the COMMIT) and in
// a plain pgx transaction (written at once) both wake a relay that would otherwise sleep for
// ten minutes — the outbox's NOTIFY trigger fires for both, at commit — and reach the consumer
// once each, in their order. A transaction rolled back publishes nothing, and an Append whose
// row cannot be written (an event id already there) rolls back the whole transaction and says
// so from InTx.
func TestAppendWakesTheRelayAtCommit(t *testing.T) {
	t.Parallel()
	_, pool := newDB(t)
	_, js := newNATS(t)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE writes (id int PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	rec := consume(t, js, "wake-test")
	startRelay(t, &outbox.Relay{Pool: pool, JS: js, Poll: 10 * time.Minute})

	var want []string
	delivered := func(what string) {
		t.Helper()
		waitFor(t, what, func() bool {
			_, order := rec.snapshot()
			return slices.Equal(order, want)
		})
	}

	// Queued with the COMMIT: three events in one Append, one in another, after the write.
	queued, err := newEvents(4, "queued")
	if err != nil {
		t.Fatal(err)
	}
	err = pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, ok := tx.(pg.AtCommit); !ok {
			t.Errorf("pg.InTx's transaction is a %T, not pg.AtCommit: Append costs a round trip", tx)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO writes VALUES (1)`); err != nil {
			return err
		}
		if err := outbox.Append(ctx, tx, queued[:3]...); err != nil {
			return err
		}
		return outbox.Append(ctx, tx, queued[3])
	})
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, ids(queued)...)
	delivered("the events queued with the commit, woken by NOTIFY")

	// Written at once, in a transaction of pgx's own.
	want = append(want, ids(appendEvents(t, pool, 2, true))...)
	delivered("the events of a plain transaction, woken by NOTIFY")

	// Rolled back: fn fails after Append, nothing is written or published.
	lost, err := newEvents(1, "lost")
	if err != nil {
		t.Fatal(err)
	}
	_ = pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := outbox.Append(ctx, tx, lost...); err != nil {
			return err
		}
		return context.Canceled
	})
	// The same event again: its row cannot be written, and the write beside it goes too.
	err = pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO writes VALUES (2)`); err != nil {
			return err
		}
		return outbox.Append(ctx, tx, []*eventsv1.Envelope{queued[0]}...)
	})
	if err == nil || !strings.Contains(err.Error(), "append event "+subject+" "+queued[0].GetId()) {
		t.Fatalf("appending an event id twice: InTx returned %v, want the append's error naming it", err)
	}
	if n := count(t, pool, `SELECT count(*) FROM writes`); n != 1 {
		t.Fatalf("%d writes after a failed append, want 1 (its transaction rolled back)", n)
	}
	// A last one, to know the relay has gone past whatever the failures left.
	want = append(want, ids(appendEvents(t, pool, 1, true))...)
	delivered("the last event")
	if n := count(t, pool, `SELECT count(*) FROM outbox WHERE id = $1`, lost[0].GetId()); n != 0 {
		t.Fatalf("the rolled back event is in the outbox")
	}
	assertDeliveredOnce(t, pool, js, "wake-test", rec, want)
}

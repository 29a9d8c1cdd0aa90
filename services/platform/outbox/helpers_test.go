package outbox_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/types/known/wrapperspb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

const (
	streamName = "TEST"
	subject    = "cohabit.test.thing.happened"
	// relayName keys the relays' advisory lock; each test has its own database, so tests
	// sharing the name never contend.
	relayName = "test"
)

// waitTimeout bounds every wait on a condition. Generous, because a relay standing by retries
// the lock every 2 s and the race detector slows everything down; a passing run waits far less.
const waitTimeout = 15 * time.Second

// quiet is the logger of code under test: its warnings are expected here (NATS down, lock
// busy) and t.Log from a goroutine outliving the test would panic.
var quiet = slog.New(slog.DiscardHandler)

func schema() string {
	return "platform_" + pgtest.Hash(outbox.Migrations().FS) + pgtest.Hash(inbox.Migrations().FS)
}

func migrate(ctx context.Context, url string) error {
	return pg.Migrate(ctx, url, outbox.Migrations(), inbox.Migrations())
}

// newDB returns the URL of a fresh database holding the outbox, and a pool on it.
func newDB(t *testing.T) (string, *pgxpool.Pool) {
	t.Helper()
	url := pgtest.NewURL(t, schema(), migrate)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pg.Open(ctx, url, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return url, pool
}

// connect returns a JetStream context on url with the test stream declared.
func connect(t *testing.T, url string) jetstream.JetStream {
	t.Helper()
	nc, js, err := natsx.Connect(url, t.Name(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: streamName, Subjects: []string{"cohabit.test.>"}}); err != nil {
		t.Fatal(err)
	}
	return js
}

func newNATS(t *testing.T) (*natstest.Server, jetstream.JetStream) {
	t.Helper()
	srv := natstest.New(t)
	return srv, connect(t, srv.URL())
}

// newEvents builds n events whose payloads say their position.
func newEvents(n int, tag string) ([]*eventsv1.Envelope, error) {
	out := make([]*eventsv1.Envelope, 0, n)
	for i := range n {
		e, err := event.New(subject, "prog-1", time.Now(), wrapperspb.String(fmt.Sprintf("%s-%d", tag, i)))
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// appendEvents appends n new events in one transaction, committed or rolled back.
func appendEvents(t *testing.T, pool *pgxpool.Pool, n int, commit bool) []*eventsv1.Envelope {
	t.Helper()
	ctx := context.Background()
	events, err := newEvents(n, t.Name())
	if err != nil {
		t.Fatal(err)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if err := outbox.Append(ctx, tx, events...); err != nil {
		t.Fatal(err)
	}
	if commit {
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	} else if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	return events
}

func ids(events []*eventsv1.Envelope) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = e.GetId()
	}
	return out
}

// startRelay runs r until the returned stop is called (or the test ends); stop waits for Run
// to return.
func startRelay(t *testing.T, r *outbox.Relay) (stop func(), done <-chan struct{}) {
	t.Helper()
	if r.Log == nil {
		r.Log = quiet
	}
	if r.Name == "" {
		r.Name = relayName
	}
	if r.Poll == 0 {
		r.Poll = 100 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan struct{})
	go func() {
		defer close(ch)
		if err := r.Run(ctx); err != nil {
			panic(fmt.Sprintf("relay Run: %v", err)) // Run only returns nil
		}
	}()
	stop = sync.OnceFunc(func() { cancel(); <-ch })
	t.Cleanup(stop)
	return stop, ch
}

// received records what a durable consumer was handed, by event id.
type received struct {
	mu    sync.Mutex
	count map[string]int
	order []string
}

func (r *received) snapshot() (map[string]int, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	c := make(map[string]int, len(r.count))
	for k, v := range r.count {
		c[k] = v
	}
	return c, append([]string(nil), r.order...)
}

// consume runs a durable natsx consumer (explicit ack) on the test stream for the rest of the
// test.
func consume(t *testing.T, js jetstream.JetStream, durable string) *received {
	t.Helper()
	rec := &received{count: map[string]int{}}
	c := &natsx.Consumer{
		Stream:  streamName,
		Durable: durable,
		Log:     quiet,
		Handle: func(_ context.Context, e *eventsv1.Envelope) error {
			rec.mu.Lock()
			defer rec.mu.Unlock()
			rec.count[e.GetId()]++
			rec.order = append(rec.order, e.GetId())
			return nil
		},
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.Run(ctx, js)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return rec
}

// waitFor polls cond until it holds, failing the test after waitTimeout.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", waitTimeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func count(t *testing.T, pool *pgxpool.Pool, query string, args ...any) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

func unpublished(t *testing.T, pool *pgxpool.Pool) int {
	t.Helper()
	return count(t, pool, `SELECT count(*) FROM outbox WHERE published_at IS NULL`)
}

// assertDeliveredOnce waits until every outbox row is marked published and the consumer has
// acknowledged everything, then checks that the stream holds each event once and that the
// consumer was handed each of want exactly once, in order, and nothing else.
func assertDeliveredOnce(t *testing.T, pool *pgxpool.Pool, js jetstream.JetStream, durable string, rec *received, want []string) {
	t.Helper()
	ctx := context.Background()
	waitFor(t, "every outbox row marked published", func() bool { return unpublished(t, pool) == 0 })
	if n := count(t, pool, `SELECT count(*) FROM outbox`); n != len(want) {
		t.Fatalf("outbox holds %d rows, want %d", n, len(want))
	}
	waitFor(t, "the consumer to receive every event", func() bool {
		c, _ := rec.snapshot()
		return len(c) >= len(want)
	})
	cons, err := js.Consumer(ctx, streamName, durable)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the consumer to acknowledge everything", func() bool {
		info, err := cons.Info(ctx)
		return err == nil && info.NumPending == 0 && info.NumAckPending == 0
	})

	stream, err := js.Stream(ctx, streamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != uint64(len(want)) {
		t.Fatalf("stream holds %d messages, want %d (a duplicate got through)", info.State.Msgs, len(want))
	}
	cinfo, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cinfo.Delivered.Consumer != uint64(len(want)) {
		t.Fatalf("consumer saw %d deliveries, want %d", cinfo.Delivered.Consumer, len(want))
	}

	got, order := rec.snapshot()
	for _, id := range want {
		if got[id] != 1 {
			t.Errorf("event %s received %d times, want once", id, got[id])
		}
	}
	if len(got) != len(want) {
		t.Errorf("consumer received %d distinct events, want %d: %v", len(got), len(want), got)
	}
	if fmt.Sprint(order) != fmt.Sprint(want) {
		t.Errorf("received in order %v, want %v", order, want)
	}
}

// pendingIDs returns the ids of the rows not yet marked published, in seq order.
func pendingIDs(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT id::text FROM outbox WHERE published_at IS NULL ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

package outbox_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/types/known/wrapperspb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

// The benchmarks below feed the table of `make bench` (scripts/bench-table.sh), which reads
// their custom metrics: ratios and percentiles, measured in one run.

func benchDB(b *testing.B) *pgxpool.Pool {
	b.Helper()
	url := pgtest.NewURL(b, schema(), migrate)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pg.Open(ctx, url, 4)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool
}

func benchEvent(b *testing.B) *eventsv1.Envelope {
	e, err := event.New(subject, "prog-1", time.Now(), wrapperspb.String("a thing that happened, with a payload of some size"))
	if err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkWriteWithOutbox times the same write (a row inserted in its own transaction, as a
// use case stores a record) without and with its event appended to the outbox in that
// transaction. The two alternate in rounds of 20, so that the machine's load (shared cores)
// weighs on both alike. Metrics: each one's mean, and outbox-ratio = plain ÷ with, the share of
// the plain write's throughput a write with its event keeps (goal ≥ 0.9).
func BenchmarkWriteWithOutbox(b *testing.B) {
	pool := benchDB(b)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE bench_writes (id uuid PRIMARY KEY, programme_id text NOT NULL, body jsonb NOT NULL, at timestamptz NOT NULL)`); err != nil {
		b.Fatal(err)
	}
	write := func(withEvent bool) {
		err := pg.InTx(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, `INSERT INTO bench_writes (id, programme_id, body, at) VALUES ($1, $2, $3, now())`,
				uuid.NewString(), "prog-1", `{"status":"PROPOSED","score":71.25}`); err != nil {
				return err
			}
			if withEvent {
				return outbox.Append(ctx, tx, benchEvent(b))
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	var spent [2]time.Duration
	var count [2]int
	i := 0
	for b.Loop() {
		with := (i/20)%2 == 1
		i++
		start := time.Now()
		write(with)
		k := 0
		if with {
			k = 1
		}
		spent[k] += time.Since(start)
		count[k]++
	}
	if count[0] == 0 || count[1] == 0 {
		return // too few iterations to compare (-benchtime below 21x)
	}
	plain := float64(spent[0]) / float64(count[0])
	with := float64(spent[1]) / float64(count[1])
	b.ReportMetric(plain/1e3, "plain-µs")
	b.ReportMetric(with/1e3, "outbox-µs")
	b.ReportMetric(plain/with, "outbox-ratio")
}

// BenchmarkCommitToConsumer times an event from the commit of its transaction (outbox.Append)
// to its consumer's handler: the outbox relay (woken by NOTIFY) publishes it to JetStream and a
// durable natsx.Consumer receives it, as between two services. One event at a time, so each
// measures latency, not a queue. Metrics: p50-ms, p99-ms (goal p99 ≤ 50 ms).
func BenchmarkCommitToConsumer(b *testing.B) {
	pool := benchDB(b)
	srv := natstest.New(b)
	nc, js, err := natsx.Connect(srv.URL(), b.Name(), quiet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: streamName, Subjects: []string{"cohabit.test.>"}}); err != nil {
		b.Fatal(err)
	}
	relay := &outbox.Relay{Pool: pool, JS: js, Log: quiet, Name: relayName}
	got := make(chan string, 16)
	cons := &natsx.Consumer{Stream: streamName, Durable: "bench", Log: quiet, Handle: func(_ context.Context, e *eventsv1.Envelope) error {
		got <- e.GetId()
		return nil
	}}
	done := make(chan struct{}, 2)
	go func() { _ = relay.Run(ctx); done <- struct{}{} }()
	go func() { _ = cons.Run(ctx, js); done <- struct{}{} }()
	defer func() { cancel(); <-done; <-done }()

	send := func() time.Duration {
		e := benchEvent(b)
		if err := pg.InTx(ctx, pool, func(tx pgx.Tx) error { return outbox.Append(ctx, tx, e) }); err != nil {
			b.Fatal(err)
		}
		committed := time.Now()
		timeout := time.After(10 * time.Second)
		for {
			select {
			case id := <-got:
				if id == e.GetId() {
					return time.Since(committed)
				}
			case <-timeout:
				b.Fatalf("event %s not consumed after 10 s", e.GetId())
			}
		}
	}
	for range 5 { // the consumer's creation and the first round trips
		send()
	}
	var lat []time.Duration
	for b.Loop() {
		lat = append(lat, send())
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / 1e6
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

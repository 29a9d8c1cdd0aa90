package outbox

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/cohabit/cohabit/services/platform/tracing"
)

// Relay publishes pending outbox rows in order. Only one relay per database is active: it
// holds a session advisory lock, and standby replicas wait for it.
type Relay struct {
	Pool *pgxpool.Pool
	JS   jetstream.JetStream
	Log  *slog.Logger
	// Name identifies the service; it keys the advisory lock.
	Name string
	// Batch is how many rows one round publishes (default 100).
	Batch int
	// Poll is how long the relay sleeps without a notification (default 1s).
	Poll time.Duration
	// AfterPublish, when set, is called after JetStream acknowledged an event and before the
	// row is marked published. Tests use it to kill the process in that window.
	AfterPublish func(id string)
}

// Run relays until ctx is done. Publishing failures are retried with backoff, never dropped.
func (r *Relay) Run(ctx context.Context) error {
	if r.Batch <= 0 {
		r.Batch = 100
	}
	if r.Poll <= 0 {
		r.Poll = time.Second
	}
	backoff := 100 * time.Millisecond
	for {
		err := r.lead(ctx)
		if ctx.Err() != nil {
			return nil
		}
		r.Log.WarnContext(ctx, "outbox relay interrupted; retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

func (r *Relay) lockKey() int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte("outbox-relay:" + r.Name))
	return int64(h.Sum64())
}

// lead waits to hold the relay lock, then relays until an error or ctx ends.
func (r *Relay) lead(ctx context.Context) error {
	conn, err := r.Pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire relay connection: %w", err)
	}
	// The session lock dies with the connection: never return it to the pool holding it.
	defer func() {
		_ = conn.Conn().Close(context.WithoutCancel(ctx))
		conn.Release()
	}()
	for {
		var got bool
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, r.lockKey()).Scan(&got); err != nil {
			return fmt.Errorf("relay lock: %w", err)
		}
		if got {
			break
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(2 * time.Second):
		}
	}
	if _, err := conn.Exec(ctx, "LISTEN "+channel); err != nil {
		return fmt.Errorf("listen outbox: %w", err)
	}
	for {
		n, err := r.relayBatch(ctx)
		if err != nil {
			return err
		}
		if n == r.Batch {
			continue
		}
		wctx, cancel := context.WithTimeout(ctx, r.Poll)
		_, err = conn.Conn().WaitForNotification(wctx)
		cancel()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("wait for outbox notification: %w", err)
		}
	}
}

type pending struct {
	seq      int64
	id       string
	subject  string
	envelope []byte
	// traceparent and tracestate are the trace context of the transaction that wrote the
	// event ("" outside a trace).
	traceparent, tracestate string
}

// relayBatch publishes up to Batch pending rows and marks them; it returns how many it read.
func (r *Relay) relayBatch(ctx context.Context) (int, error) {
	rows, err := r.Pool.Query(ctx, `SELECT seq, id::text, subject, envelope, coalesce(traceparent, ''), coalesce(tracestate, '') FROM outbox WHERE published_at IS NULL ORDER BY seq LIMIT $1`, r.Batch)
	if err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
	}
	batch, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (pending, error) {
		var p pending
		err := row.Scan(&p.seq, &p.id, &p.subject, &p.envelope, &p.traceparent, &p.tracestate)
		return p, err
	})
	if err != nil {
		return 0, fmt.Errorf("read outbox: %w", err)
	}
	for _, p := range batch {
		msg := &nats.Msg{Subject: p.subject, Data: p.envelope, Header: nats.Header{}}
		msg.Header.Set(jetstream.MsgIDHeader, p.id)
		span := publishSpan(ctx, p, msg)
		pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_, err := r.JS.PublishMsg(pctx, msg)
		cancel()
		if err != nil {
			span.SetStatus(codes.Error, "publish failed")
		}
		span.End()
		if err != nil {
			return 0, fmt.Errorf("publish %s %s: %w", p.subject, p.id, err)
		}
		if r.AfterPublish != nil {
			r.AfterPublish(p.id)
		}
		// Marked one by one so that a crash republishes at most one event; JetStream's
		// duplicate window absorbs that one.
		if _, err := r.Pool.Exec(ctx, `UPDATE outbox SET published_at = now() WHERE seq = $1`, p.seq); err != nil {
			return 0, fmt.Errorf("mark %s published: %w", p.id, err)
		}
	}
	return len(batch), nil
}

// publishSpan starts the span of publishing p, a child of the span that wrote it (its row's
// trace context), and puts its own context in msg's headers (traceparent, tracestate) for the
// consumer's span to follow. A row written outside a trace gets a span that records nothing
// and no headers.
func publishSpan(ctx context.Context, p pending, msg *nats.Msg) trace.Span {
	if p.traceparent == "" {
		return trace.SpanFromContext(context.Background())
	}
	parent := tracing.Propagator.Extract(ctx, propagation.MapCarrier{"traceparent": p.traceparent, "tracestate": p.tracestate})
	ctx, span := otel.Tracer(tracerName).Start(parent, "publish "+p.subject,
		trace.WithSpanKind(trace.SpanKindProducer),
		trace.WithAttributes(
			attribute.String("messaging.system", "nats"),
			attribute.String("messaging.operation.type", "send"),
			attribute.String("messaging.destination.name", p.subject),
			attribute.String("messaging.message.id", p.id),
		))
	tracing.Propagator.Inject(ctx, tracing.Headers(msg.Header))
	return span
}

const tracerName = "github.com/cohabit/cohabit/services/platform/outbox"

package tracing_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"google.golang.org/protobuf/types/known/wrapperspb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
	"github.com/cohabit/cohabit/services/platform/tracing"
)

const subject = "cohabit.test.thing.happened"

// handled is what the consumer's handler saw of one event.
type handled struct {
	id   string
	span trace.SpanContext
}

// TestTraceCrossesTheOutboxAndNATS: an event appended inside a span keeps that span's trace
// context in its outbox row; the relay publishes it as a traceparent header beside
// Nats-Msg-Id, under a producer span that is the writer's child; the consumer's handler runs
// its inbox transaction under a consumer span that is the publish span's child, in the same
// trace. An event appended outside any trace has no trace context in its row nor in its
// message, and its consumer span starts a trace of its own.
func TestTraceCrossesTheOutboxAndNATS(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracing.Install(tp)

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	pool := pgtest.New(t, "platform_"+pgtest.Hash(outbox.Migrations().FS)+pgtest.Hash(inbox.Migrations().FS),
		func(ctx context.Context, url string) error {
			return pg.Migrate(ctx, url, outbox.Migrations(), inbox.Migrations())
		})
	ns := natstest.New(t)
	nc, js, err := natsx.Connect(ns.URL(), t.Name(), log)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: "TEST", Subjects: []string{"cohabit.test.>"}}); err != nil {
		t.Fatal(err)
	}

	// The writer: a span standing for the RPC whose transaction appends the event.
	rpcCtx, rpc := tp.Tracer("test").Start(ctx, "rpc", trace.WithSpanKind(trace.SpanKindServer))
	traced := appendOne(t, rpcCtx, pool, "traced")
	rpc.End()
	untraced := appendOne(t, ctx, pool, "untraced")

	var parent, state *string
	if err := pool.QueryRow(ctx, `SELECT traceparent, tracestate FROM outbox WHERE id = $1`, traced.GetId()).Scan(&parent, &state); err != nil {
		t.Fatal(err)
	}
	want := "00-" + rpc.SpanContext().TraceID().String() + "-" + rpc.SpanContext().SpanID().String() + "-01"
	if parent == nil || *parent != want || state != nil {
		t.Fatalf("outbox row's trace context: traceparent %v tracestate %v, want %s and NULL", deref(parent), deref(state), want)
	}
	if err := pool.QueryRow(ctx, `SELECT traceparent FROM outbox WHERE id = $1`, untraced.GetId()).Scan(&parent); err != nil {
		t.Fatal(err)
	}
	if parent != nil {
		t.Fatalf("an event appended outside a trace kept traceparent %q", *parent)
	}

	seen := make(chan handled, 4)
	cons := &natsx.Consumer{Stream: "TEST", Durable: "trace-test", Subjects: []string{subject}, Log: log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			return inbox.Handle(ctx, pool, "trace-test", e.GetId(), func(pgx.Tx) error {
				seen <- handled{id: e.GetId(), span: trace.SpanContextFromContext(ctx)}
				return nil
			})
		}}
	relay := &outbox.Relay{Pool: pool, JS: js, Log: log, Name: "trace-test", Poll: 100 * time.Millisecond}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{}, 2)
	go func() { _ = relay.Run(runCtx); done <- struct{}{} }()
	go func() { _ = cons.Run(runCtx, js); done <- struct{}{} }()
	t.Cleanup(func() { stop(); <-done; <-done })

	got := map[string]trace.SpanContext{}
	for len(got) < 2 {
		select {
		case h := <-seen:
			got[h.id] = h.span
		case <-ctx.Done():
			t.Fatalf("consumed %d of 2 events", len(got))
		}
	}

	// The messages as JetStream holds them.
	stream, err := js.Stream(ctx, "TEST")
	if err != nil {
		t.Fatal(err)
	}
	msgs := map[string]*jetstream.RawStreamMsg{}
	for seq := uint64(1); seq <= 2; seq++ {
		m, err := stream.GetMsg(ctx, seq)
		if err != nil {
			t.Fatal(err)
		}
		msgs[m.Header.Get(jetstream.MsgIDHeader)] = m
	}
	if m := msgs[untraced.GetId()]; m == nil || m.Header.Get("traceparent") != "" {
		t.Fatalf("the untraced event's message: %v", m)
	}

	publish := only(t, rec, "publish "+subject, trace.SpanKindProducer, traced.GetId())
	if publish.Parent().SpanID() != rpc.SpanContext().SpanID() || publish.SpanContext().TraceID() != rpc.SpanContext().TraceID() {
		t.Errorf("publish span's parent %v, want the writer's span %v", publish.Parent(), rpc.SpanContext())
	}
	header := msgs[traced.GetId()].Header.Get("traceparent")
	if wantHeader := "00-" + publish.SpanContext().TraceID().String() + "-" + publish.SpanContext().SpanID().String() + "-01"; header != wantHeader {
		t.Errorf("message header traceparent %q, want the publish span's %q", header, wantHeader)
	}

	process := only(t, rec, "process "+subject, trace.SpanKindConsumer, traced.GetId())
	if process.Parent().SpanID() != publish.SpanContext().SpanID() || !process.Parent().IsRemote() {
		t.Errorf("consumer span's parent %v, want the publish span %v, remote", process.Parent(), publish.SpanContext())
	}
	if h := got[traced.GetId()]; h.TraceID() != rpc.SpanContext().TraceID() || h.SpanID() != process.SpanContext().SpanID() {
		t.Errorf("the handler's transaction ran in span %v, want the consumer span %v of the writer's trace %v",
			h, process.SpanContext(), rpc.SpanContext().TraceID())
	}

	other := only(t, rec, "process "+subject, trace.SpanKindConsumer, untraced.GetId())
	if other.Parent().IsValid() || other.SpanContext().TraceID() == rpc.SpanContext().TraceID() {
		t.Errorf("the untraced event's consumer span has parent %v in trace %v: want a trace of its own",
			other.Parent(), other.SpanContext().TraceID())
	}
}

func appendOne(t *testing.T, ctx context.Context, pool pg.Beginner, tag string) *eventsv1.Envelope {
	t.Helper()
	e, err := event.New(subject, "prog-1", time.Now(), wrapperspb.String(tag))
	if err != nil {
		t.Fatal(err)
	}
	if err := pg.InTx(ctx, pool, func(tx pgx.Tx) error { return outbox.Append(ctx, tx, e) }); err != nil {
		t.Fatal(err)
	}
	return e
}

// only returns the one ended span named name of kind whose messaging.message.id is id,
// waiting a little for it: a consumer span ends after its handler returned and acked.
func only(t *testing.T, rec *tracetest.SpanRecorder, name string, kind trace.SpanKind, id string) sdktrace.ReadOnlySpan {
	t.Helper()
	var out []sdktrace.ReadOnlySpan
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out = out[:0]
		for _, s := range rec.Ended() {
			if s.Name() != name || s.SpanKind() != kind {
				continue
			}
			for _, a := range s.Attributes() {
				if a.Key == "messaging.message.id" && a.Value.AsString() == id {
					out = append(out, s)
				}
			}
		}
		if len(out) > 0 || time.Now().After(deadline) {
			break
		}
	}
	if len(out) != 1 {
		t.Fatalf("%d %s spans %q for event %s, want 1", len(out), kind, name, id)
	}
	return out[0]
}

func deref(s *string) any {
	if s == nil {
		return nil
	}
	return *s
}

// Package natsx connects to NATS JetStream, declares streams, and runs durable consumers with
// the platform's acknowledgement policy.
package natsx

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/tracing"
)

// Connect opens a connection that reconnects forever, and its JetStream context.
func Connect(url, name string, log *slog.Logger) (*nats.Conn, jetstream.JetStream, error) {
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.RetryOnFailedConnect(true),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(*nats.Conn) { log.Info("nats reconnected") }),
	)
	if err != nil {
		return nil, nil, fmt.Errorf("connect nats %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, nil, fmt.Errorf("jetstream: %w", err)
	}
	return nc, js, nil
}

// Stream describes a service's stream: it owns every subject under cohabit.<service>.>.
type Stream struct {
	Name     string
	Subjects []string
	// MaxAge bounds how long events are kept (personal data must not live forever);
	// DefaultMaxAge when 0.
	MaxAge time.Duration
	// Duplicates is JetStream's deduplication window on Nats-Msg-Id; DefaultDuplicates when 0.
	Duplicates time.Duration
	// Replicas is how many servers of a JetStream cluster hold the stream; 1 when 0.
	Replicas int
}

// The defaults of a stream's settings. Events older than DefaultMaxAge are dropped from the
// stream (each service keeps its state in its own database; a stream only carries events to
// their consumers, which a month's outage of a consumer would still not starve).
// DefaultDuplicates covers a relay that crashed between JetStream's ack and marking the row
// published, and republishes it after a restart.
const (
	DefaultMaxAge     = 30 * 24 * time.Hour
	DefaultDuplicates = 10 * time.Minute
)

// StreamSettings are an operator's settings for every stream of a deployment (the
// COHABIT_NATS_* variables, read by LoadStreamSettings). Zero values keep a Stream's own.
type StreamSettings struct {
	// Replicas: 1 on one server (`make run`), 3 in a 3-node cluster, so that a node's loss
	// loses no event and stops no publisher or consumer.
	Replicas   int
	MaxAge     time.Duration
	Duplicates time.Duration
}

// LoadStreamSettings reads COHABIT_NATS_REPLICAS (1), COHABIT_NATS_MAX_AGE (720h: 30 days)
// and COHABIT_NATS_DUPLICATE_WINDOW (10m).
func LoadStreamSettings(e *config.Env) StreamSettings {
	return StreamSettings{
		Replicas:   e.Int("COHABIT_NATS_REPLICAS", 1),
		MaxAge:     e.Duration("COHABIT_NATS_MAX_AGE", DefaultMaxAge),
		Duplicates: e.Duration("COHABIT_NATS_DUPLICATE_WINDOW", DefaultDuplicates),
	}
}

// With returns s with set's non-zero values in place of its own.
func (s Stream) With(set StreamSettings) Stream {
	if set.Replicas != 0 {
		s.Replicas = set.Replicas
	}
	if set.MaxAge != 0 {
		s.MaxAge = set.MaxAge
	}
	if set.Duplicates != 0 {
		s.Duplicates = set.Duplicates
	}
	return s
}

// Config is s's JetStream configuration: file storage, limits retention, the replicas,
// maximum age and duplicate window, defaults filled in. It refuses values JetStream would
// refuse, with a clearer message.
func (s Stream) Config() (jetstream.StreamConfig, error) {
	if s.MaxAge == 0 {
		s.MaxAge = DefaultMaxAge
	}
	if s.Duplicates == 0 {
		s.Duplicates = DefaultDuplicates
	}
	if s.Replicas == 0 {
		s.Replicas = 1
	}
	switch {
	case s.MaxAge < 0 || s.Duplicates < 0:
		return jetstream.StreamConfig{}, fmt.Errorf("stream %s: negative max age or duplicate window", s.Name)
	case s.Duplicates > s.MaxAge:
		return jetstream.StreamConfig{}, fmt.Errorf("stream %s: duplicate window %v longer than max age %v", s.Name, s.Duplicates, s.MaxAge)
	case s.Replicas < 1 || s.Replicas > 5:
		return jetstream.StreamConfig{}, fmt.Errorf("stream %s: %d replicas: JetStream allows 1 to 5", s.Name, s.Replicas)
	}
	return jetstream.StreamConfig{
		Name:       s.Name,
		Subjects:   s.Subjects,
		Storage:    jetstream.FileStorage,
		Retention:  jetstream.LimitsPolicy,
		MaxAge:     s.MaxAge,
		Duplicates: s.Duplicates,
		Replicas:   s.Replicas,
	}, nil
}

// EnsureStream creates the stream or updates an existing one to s: its maximum age, duplicate
// window and replicas included (raising the replicas copies the stream onto more servers of
// the cluster without losing its events).
func EnsureStream(ctx context.Context, js jetstream.JetStream, s Stream) error {
	cfg, err := s.Config()
	if err != nil {
		return err
	}
	if _, err := js.CreateOrUpdateStream(ctx, cfg); err != nil {
		return fmt.Errorf("ensure stream %s: %w", s.Name, err)
	}
	return nil
}

// ErrPermanent marks a handler error that no retry will fix: the message is terminated.
var ErrPermanent = errors.New("permanent failure")

// Handler handles one event. Returning nil acks it; an error wrapping ErrPermanent terminates
// it; any other error (or a panic, which is logged with its stack) naks it with a growing
// delay, so an event that arrived before the state it needs is retried later, never dropped.
type Handler func(ctx context.Context, e *eventsv1.Envelope) error

// Consumer is one durable consumer of a stream.
type Consumer struct {
	Stream  string
	Durable string
	// Subjects filters the stream; empty means all.
	Subjects []string
	Handle   Handler
	Log      *slog.Logger
}

// Run consumes until ctx is done. The consumer is created if missing (durable: it survives
// restarts and resumes where it stopped).
func (c *Consumer) Run(ctx context.Context, js jetstream.JetStream) error {
	cfg := jetstream.ConsumerConfig{
		Durable:        c.Durable,
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        30 * time.Second,
		MaxDeliver:     -1,
		FilterSubjects: c.Subjects,
		DeliverPolicy:  jetstream.DeliverAllPolicy,
	}
	var cons jetstream.Consumer
	for {
		var err error
		cons, err = js.CreateOrUpdateConsumer(ctx, c.Stream, cfg)
		if err == nil {
			break
		}
		// The stream belongs to another service, which may not have declared it yet.
		c.Log.WarnContext(ctx, "consumer not ready; retrying", "durable", c.Durable, "stream", c.Stream, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
	cc, err := cons.Consume(func(m jetstream.Msg) { c.handle(ctx, m) })
	if err != nil {
		return fmt.Errorf("consume %s/%s: %w", c.Stream, c.Durable, err)
	}
	<-ctx.Done()
	cc.Drain()
	<-cc.Closed()
	return nil
}

func (c *Consumer) handle(ctx context.Context, m jetstream.Msg) {
	ctx, span := c.span(ctx, m)
	defer span.End()
	e, err := event.Decode(m.Data())
	if err != nil {
		c.Log.ErrorContext(ctx, "undecodable event terminated", "durable", c.Durable, "subject", m.Subject(), "err", err)
		span.SetStatus(codes.Error, "undecodable event terminated")
		_ = m.Term()
		return
	}
	err = c.call(ctx, e)
	switch {
	case err == nil:
		if err := m.DoubleAck(ctx); err != nil {
			c.Log.WarnContext(ctx, "ack failed; the event will be redelivered and skipped by the inbox", "event", e.GetId(), "err", err)
		}
	case errors.Is(err, ErrPermanent):
		c.Log.ErrorContext(ctx, "event terminated", "durable", c.Durable, "event", e.GetId(), "type", e.GetType(), "err", err)
		// Not err's text: a handler's error may quote what it was given.
		span.SetStatus(codes.Error, "event terminated")
		_ = m.TermWithReason(err.Error())
	default:
		span.SetStatus(codes.Error, "event retried later")
		delay := time.Second
		if md, mdErr := m.Metadata(); mdErr == nil {
			delay = min(time.Duration(md.NumDelivered)*time.Second, 30*time.Second)
		}
		c.Log.WarnContext(ctx, "event retried later", "durable", c.Durable, "event", e.GetId(), "type", e.GetType(), "in", delay, "err", err)
		_ = m.NakWithDelay(delay)
	}
}

// call runs the handler and turns a panic into an ordinary error, so the event is naked and
// retried later: otherwise one bad event would crash the whole process, and crash it again on
// every redelivery after each restart.
func (c *Consumer) call(ctx context.Context, e *eventsv1.Envelope) (err error) {
	defer func() {
		if r := recover(); r != nil {
			c.Log.ErrorContext(ctx, "panic in event handler", "durable", c.Durable, "event", e.GetId(), "type", e.GetType(), "panic", r, "stack", string(debug.Stack()))
			err = fmt.Errorf("event handler panicked: %v", r)
		}
	}()
	return c.Handle(ctx, e)
}

// span starts the span of handling m, covering the handler's transaction: a child of the span
// that published m, whose context the relay put in m's headers (outbox.Relay), so that the
// trace of a request reaches the consumers of the events it caused. A child rather than a
// link: each delivery has exactly one cause, and one trace then shows the whole chain (a
// redelivery is one more child of the same publish). A message without trace context starts
// a trace of its own.
func (c *Consumer) span(ctx context.Context, m jetstream.Msg) (context.Context, trace.Span) {
	h := m.Headers()
	ctx = tracing.Propagator.Extract(ctx, tracing.Headers(h))
	attrs := []attribute.KeyValue{
		attribute.String("messaging.system", "nats"),
		attribute.String("messaging.operation.type", "process"),
		attribute.String("messaging.destination.name", m.Subject()),
		attribute.String("messaging.consumer.group.name", c.Durable),
	}
	if id := h.Get(jetstream.MsgIDHeader); id != "" {
		attrs = append(attrs, attribute.String("messaging.message.id", id))
	}
	if md, err := m.Metadata(); err == nil {
		attrs = append(attrs, attribute.Int64("messaging.nats.delivery_count", int64(md.NumDelivered)))
	}
	return otel.Tracer(tracerName).Start(ctx, "process "+m.Subject(),
		trace.WithSpanKind(trace.SpanKindConsumer), trace.WithAttributes(attrs...))
}

const tracerName = "github.com/cohabit/cohabit/services/platform/natsx"

// Package tracing sets up OpenTelemetry traces for a process, once: a TracerProvider that
// exports over OTLP when the standard OTEL_* variables ask for it, and none otherwise (no cost
// and no network by default), the W3C trace context propagator, and a resource naming the
// service. It also carries trace context through message headers, so that a trace crosses
// NATS from the transaction that wrote an event (outbox) to the one that consumed it (natsx).
//
// The instrumentation reads the global provider (otel.GetTracerProvider): every service, the
// gateway and the all-in-one process call Setup; the first call in a process wins, so that
// the all-in-one process, which runs every service, installs one provider for all of them.
package tracing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracegrpc"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/trace"
)

// Propagator is how trace context travels between processes: W3C trace context
// (traceparent, tracestate) in gRPC metadata and NATS message headers. No baggage: it would
// carry whatever a caller put in it into every service.
var Propagator propagation.TextMapPropagator = propagation.TraceContext{}

// Shutdown flushes the spans not yet exported and stops the exporter.
type Shutdown func(context.Context) error

func noShutdown(context.Context) error { return nil }

// Close flushes what is left within five seconds, even once ctx is done, and logs a failure:
// the deferred end of a process's tracing.
func (s Shutdown) Close(ctx context.Context, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := s(ctx); err != nil {
		log.WarnContext(ctx, "flush traces", "err", err)
	}
}

var (
	mu        sync.Mutex
	installed bool
)

// Setup installs the process's tracing unless something did already (an earlier Setup or
// Install), in which case it does nothing and returns a Shutdown that does nothing: only the
// installer shuts the provider down.
//
// OTEL_TRACES_EXPORTER chooses: "otlp" exports, "none" does not; unset, traces are exported
// when OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set.
// OTEL_EXPORTER_OTLP_TRACES_PROTOCOL or OTEL_EXPORTER_OTLP_PROTOCOL chooses "http/protobuf"
// (the default, port 4318) or "grpc" (port 4317). The exporter reads the other
// OTEL_EXPORTER_OTLP_* variables (headers, timeout, insecure) from the process environment,
// the SDK reads OTEL_TRACES_SAMPLER and OTEL_BSP_*, and OTEL_SERVICE_NAME or
// OTEL_RESOURCE_ATTRIBUTES override service, the service.name otherwise given to spans.
// Export failures are logged on log.
func Setup(ctx context.Context, service string, getenv func(string) string, log *slog.Logger) (Shutdown, error) {
	mu.Lock()
	defer mu.Unlock()
	if installed {
		return noShutdown, nil
	}
	tp, err := newProvider(ctx, service, getenv)
	if err != nil {
		return nil, err
	}
	installed = true
	otel.SetTextMapPropagator(Propagator)
	if tp == nil {
		// The global provider stays OpenTelemetry's no-op one: spans cost next to nothing,
		// and trace context received still passes through (a no-op span keeps its parent's).
		return noShutdown, nil
	}
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) {
		log.Warn("opentelemetry", "err", err)
	}))
	otel.SetTracerProvider(tp)
	log.InfoContext(ctx, "exporting traces over OTLP", "service", service)
	return tp.Shutdown, nil
}

// Install makes tp the process's provider, whatever Setup did or will do: later Setup calls
// do nothing. Tests install a provider that records spans in memory (sdk/trace/tracetest).
func Install(tp trace.TracerProvider) {
	mu.Lock()
	defer mu.Unlock()
	installed = true
	otel.SetTextMapPropagator(Propagator)
	otel.SetTracerProvider(tp)
}

// newProvider builds the provider the environment asks for, or returns nil when it asks for
// none.
func newProvider(ctx context.Context, service string, getenv func(string) string) (*sdktrace.TracerProvider, error) {
	exp, err := newExporter(ctx, getenv)
	if err != nil || exp == nil {
		return nil, err
	}
	// service.name first, so that OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (read by
	// WithFromEnv, after it) override it.
	res, err := resource.New(ctx,
		resource.WithAttributes(attribute.String("service.name", service)),
		resource.WithFromEnv(),
		resource.WithTelemetrySDK(),
		resource.WithHost(),
	)
	if err != nil && !errors.Is(err, resource.ErrPartialResource) {
		_ = exp.Shutdown(ctx)
		return nil, fmt.Errorf("tracing resource: %w", err)
	}
	return sdktrace.NewTracerProvider(sdktrace.WithBatcher(exp), sdktrace.WithResource(res)), nil
}

// newExporter returns the exporter the environment asks for, nil for none.
func newExporter(ctx context.Context, getenv func(string) string) (sdktrace.SpanExporter, error) {
	kind := strings.ToLower(strings.TrimSpace(getenv("OTEL_TRACES_EXPORTER")))
	if kind == "" {
		kind = "none"
		if getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != "" || getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != "" {
			kind = "otlp"
		}
	}
	switch kind {
	case "none":
		return nil, nil
	case "otlp":
	default:
		return nil, fmt.Errorf("OTEL_TRACES_EXPORTER=%q: only otlp and none are supported", kind)
	}
	protocol := getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL")
	if protocol == "" {
		protocol = getenv("OTEL_EXPORTER_OTLP_PROTOCOL")
	}
	var (
		exp sdktrace.SpanExporter
		err error
	)
	switch protocol {
	case "", "http/protobuf":
		exp, err = otlptracehttp.New(ctx)
	case "grpc":
		exp, err = otlptracegrpc.New(ctx)
	default:
		return nil, fmt.Errorf("OTLP protocol %q: use http/protobuf or grpc", protocol)
	}
	if err != nil {
		return nil, fmt.Errorf("otlp trace exporter: %w", err)
	}
	return exp, nil
}

// Headers carries trace context in message headers that keep their keys as written (NATS
// headers are case-sensitive: propagation.HeaderCarrier would look for "Traceparent").
// nats.Header converts to it.
type Headers map[string][]string

// Get returns the first value of key.
func (h Headers) Get(key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// Set replaces the values of key.
func (h Headers) Set(key, value string) { h[key] = []string{value} }

// Keys lists the keys present.
func (h Headers) Keys() []string {
	out := make([]string, 0, len(h))
	for k := range h {
		out = append(out, k)
	}
	return out
}

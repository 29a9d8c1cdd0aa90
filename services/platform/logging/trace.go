package logging

import (
	"context"
	"log/slog"

	"go.opentelemetry.io/otel/trace"
)

// withTrace adds the trace and span ids of a record's context to it, so that an operator goes
// from a log line to its trace (platform/tracing): every …Context call made inside a request,
// an RPC or an event's handling carries them; others carry nothing more.
type withTrace struct{ slog.Handler }

func (h withTrace) Handle(ctx context.Context, r slog.Record) error {
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() {
		r.AddAttrs(slog.String("trace_id", sc.TraceID().String()), slog.String("span_id", sc.SpanID().String()))
	}
	return h.Handler.Handle(ctx, r)
}

func (h withTrace) WithAttrs(attrs []slog.Attr) slog.Handler {
	return withTrace{h.Handler.WithAttrs(attrs)}
}

func (h withTrace) WithGroup(name string) slog.Handler { return withTrace{h.Handler.WithGroup(name)} }

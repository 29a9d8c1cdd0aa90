package observe

import (
	"fmt"
	"net/http"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/trace"

	"github.com/cohabit/cohabit/services/platform/tracing"
)

const tracerName = "github.com/cohabit/cohabit/gateway/internal/observe"

// Trace gives every request a server span, named by its method and route pattern once a
// handler named it ("POST /v1/hosts", "GET /v1/hosts/{id}"): the root of the trace that the
// gateway's gRPC calls, the services' handlers and the consumers of the events they write
// continue. It must run inside Middleware, whose route the handlers fill in.
//
// The gateway is a public endpoint: a traceparent sent by a client is not trusted as the
// parent (a client would choose trace ids and sampling); the span starts a trace of its own
// and links to the client's. Its attributes are the method, the route, the status code and
// the request id: never the path (it holds ids), the query, a body, the client's address or
// agent.
func Trace(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		method := methodLabel(r.Method)
		opts := []trace.SpanStartOption{
			trace.WithSpanKind(trace.SpanKindServer),
			trace.WithNewRoot(),
			trace.WithAttributes(attribute.String("http.request.method", method)),
		}
		if client := trace.SpanContextFromContext(tracing.Propagator.Extract(r.Context(), propagation.HeaderCarrier(r.Header))); client.IsValid() {
			opts = append(opts, trace.WithLinks(trace.Link{SpanContext: client}))
		}
		ctx, span := otel.Tracer(tracerName).Start(r.Context(), method, opts...)
		defer span.End()
		if id := r.Header.Get("X-Request-Id"); id != "" {
			span.SetAttributes(attribute.String("cohabit.request_id", id))
		}
		if !span.IsRecording() {
			// No tracing installed, or not sampled: the response need not be watched.
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		rec := &recorder{ResponseWriter: w, code: http.StatusOK}
		next.ServeHTTP(rec, r.WithContext(ctx))

		if rt, ok := ctx.Value(routeKey{}).(*route); ok && rt.pattern != "" {
			span.SetName(method + " " + rt.pattern)
			span.SetAttributes(attribute.String("http.route", rt.pattern))
		}
		span.SetAttributes(attribute.Int("http.response.status_code", rec.code))
		if rec.code >= 500 {
			span.SetStatus(codes.Error, fmt.Sprint(rec.code))
		}
	})
}

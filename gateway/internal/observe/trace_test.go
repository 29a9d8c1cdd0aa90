package observe

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/cohabit/cohabit/services/platform/tracing"
)

// TestTraceNamesTheRouteAndKeepsPersonalDataOut: a request's span is named by its route
// pattern, carries the method, route, code and request id and nothing of the path, query or
// client; a client's traceparent is linked, not made the parent; the handler runs in the
// span; a 5xx marks it as an error.
func TestTraceNamesTheRouteAndKeepsPersonalDataOut(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()) })
	tracing.Install(tp)

	obs, err := New(prometheus.NewRegistry(), slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	var inHandler trace.SpanContext
	mux := http.NewServeMux()
	mux.Handle("GET /v1/hosts/{id}", Route("/v1/hosts/{id}", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inHandler = trace.SpanContextFromContext(r.Context())
		w.WriteHeader(http.StatusBadGateway)
	})))
	h := obs.Middleware(Trace(mux))

	const client = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
	req := httptest.NewRequest("GET", "/v1/hosts/3f1c2b9e-0000-4000-8000-000000000001?email=jeanne@example.org", nil)
	req.Header.Set("traceparent", client)
	req.Header.Set("X-Request-Id", "req-42")
	req.Header.Set("User-Agent", "Jeanne's browser")
	h.ServeHTTP(httptest.NewRecorder(), req)

	spans := rec.Ended()
	if len(spans) != 1 {
		t.Fatalf("%d spans, want 1", len(spans))
	}
	s := spans[0]
	if s.Name() != "GET /v1/hosts/{id}" || s.SpanKind() != trace.SpanKindServer {
		t.Errorf("span %q of kind %v, want GET /v1/hosts/{id}, server", s.Name(), s.SpanKind())
	}
	if s.Parent().IsValid() || s.SpanContext().TraceID().String() == "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("the client's traceparent became the parent: %v", s.Parent())
	}
	if len(s.Links()) != 1 || s.Links()[0].SpanContext.TraceID().String() != "0af7651916cd43dd8448eb211c80319c" {
		t.Errorf("links %v, want the client's span", s.Links())
	}
	if inHandler.SpanID() != s.SpanContext().SpanID() {
		t.Errorf("the handler ran in span %v, want %v", inHandler, s.SpanContext())
	}
	got := map[string]string{}
	for _, a := range s.Attributes() {
		got[string(a.Key)] = a.Value.Emit()
		if v := a.Value.Emit(); strings.Contains(v, "3f1c2b9e") || strings.Contains(v, "jeanne") || strings.Contains(v, "Jeanne") {
			t.Errorf("attribute %s=%q carries the path, query or client", a.Key, v)
		}
	}
	want := map[string]string{"http.request.method": "GET", "http.route": "/v1/hosts/{id}", "http.response.status_code": "502", "cohabit.request_id": "req-42"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("attribute %s=%q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("attributes %v, want exactly %v", got, want)
	}
	if s.Status().Code.String() != "Error" {
		t.Errorf("status %v after a 502, want Error", s.Status())
	}
}

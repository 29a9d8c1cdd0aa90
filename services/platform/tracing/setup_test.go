package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	coltracepb "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"
)

// TestExportsOverOTLPWhenAnEndpointIsSet: with OTEL_EXPORTER_OTLP_ENDPOINT set, spans reach
// an OTLP/HTTP receiver at <endpoint>/v1/traces, under the service's name.
func TestExportsOverOTLPWhenAnEndpointIsSet(t *testing.T) {
	got := make(chan *coltracepb.ExportTraceServiceRequest, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		req := &coltracepb.ExportTraceServiceRequest{}
		if r.URL.Path != "/v1/traces" || err != nil || proto.Unmarshal(body, req) != nil {
			http.Error(w, "not an OTLP trace export", http.StatusBadRequest)
			return
		}
		got <- req
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer srv.Close()
	t.Setenv("OTEL_EXPORTER_OTLP_ENDPOINT", srv.URL)
	t.Setenv("OTEL_SERVICE_NAME", "")
	t.Setenv("OTEL_RESOURCE_ATTRIBUTES", "")

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tp, err := newProvider(ctx, "hosts", os.Getenv)
	if err != nil || tp == nil {
		t.Fatalf("newProvider: %v, %v", tp, err)
	}
	_, span := tp.Tracer("test").Start(ctx, "CreateHost")
	span.End()
	// Shutdown flushes the batch.
	if err := tp.Shutdown(ctx); err != nil {
		t.Fatal(err)
	}
	var req *coltracepb.ExportTraceServiceRequest
	select {
	case req = <-got:
	case <-ctx.Done():
		t.Fatal("no export received")
	}
	if len(req.GetResourceSpans()) != 1 {
		t.Fatalf("export of %d resources, want 1", len(req.GetResourceSpans()))
	}
	rs := req.GetResourceSpans()[0]
	service := ""
	for _, a := range rs.GetResource().GetAttributes() {
		if a.GetKey() == "service.name" {
			service = a.GetValue().GetStringValue()
		}
	}
	if service != "hosts" {
		t.Errorf("service.name %q, want hosts", service)
	}
	var names []string
	for _, ss := range rs.GetScopeSpans() {
		for _, s := range ss.GetSpans() {
			names = append(names, s.GetName())
		}
	}
	if len(names) != 1 || names[0] != "CreateHost" {
		t.Errorf("spans exported %v, want [CreateHost]", names)
	}
}

// TestExporterFromTheEnvironment: nothing is exported unless asked; OTEL_TRACES_EXPORTER
// decides when set, and what is not supported is refused rather than ignored.
func TestExporterFromTheEnvironment(t *testing.T) {
	for _, c := range []struct {
		name   string
		env    map[string]string
		export bool
		fails  bool
	}{
		{name: "nothing set", env: nil},
		{name: "endpoint", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}, export: true},
		{name: "traces endpoint", env: map[string]string{"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://collector:4318/v1/traces"}, export: true},
		{name: "otlp without endpoint", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp"}, export: true},
		{name: "none despite an endpoint", env: map[string]string{"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}},
		{name: "grpc", env: map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}, export: true},
		{name: "unknown exporter", env: map[string]string{"OTEL_TRACES_EXPORTER": "zipkin"}, fails: true},
		{name: "unknown protocol", env: map[string]string{"OTEL_TRACES_EXPORTER": "otlp", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}, fails: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			exp, err := newExporter(context.Background(), func(k string) string { return c.env[k] })
			if (err != nil) != c.fails {
				t.Fatalf("err %v, want failure %v", err, c.fails)
			}
			if (exp != nil) != c.export {
				t.Fatalf("exporter %T, want one: %v", exp, c.export)
			}
			if exp != nil {
				// Nothing was exported: shutting down must not wait on the absent collector.
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				defer cancel()
				_ = exp.Shutdown(ctx)
			}
		})
	}
}

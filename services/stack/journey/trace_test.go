package journey

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/services/platform/tracing"
)

// TestTraceReachesTheConsumersOfTheEvent: a host registered through the gateway is one trace
// from the gateway's HTTP span to the transactions of the services that consumed the event it
// caused — gateway request (server) → the gateway's gRPC call (client) → hosts' CreateHost
// (server) → the relay's publish of cohabit.hosts.host.registered (producer, its parent the
// RPC whose transaction wrote the outbox row) → each consumer's handling (consumer, the
// publish's child): identity's account records and the desk's timeline among them.
//
// Not parallel: the recording provider is the process's while the test runs (a parallel
// test's spans would only add other traces, but need not be recorded at all).
func TestTraceReachesTheConsumersOfTheEvent(t *testing.T) {
	rec := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(rec))
	tracing.Install(tp)
	t.Cleanup(func() {
		tracing.Install(noop.NewTracerProvider())
		_ = tp.Shutdown(context.Background())
	})

	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")

	requestID := fmt.Sprintf("trace-test-%d", time.Now().UnixNano())
	body, err := json.Marshal(hostBody("1948-03-12"))
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest("POST", s.base+"/v1/hosts", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+coord)
	req.Header.Set("X-Request-Id", requestID)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /v1/hosts: %d", resp.StatusCode)
	}

	// The gateway's span of this request, found by its request id.
	var root sdktrace.ReadOnlySpan
	eventually(t, "the gateway's span of the request", func() bool {
		for _, sp := range rec.Ended() {
			if spanAttr(sp, "cohabit.request_id") == requestID {
				root = sp
				return true
			}
		}
		return false
	})
	if root.Name() != "POST /v1/hosts" || root.SpanKind() != trace.SpanKindServer || root.Parent().IsValid() {
		t.Fatalf("gateway span %q kind %v parent %v: want POST /v1/hosts, a server span, a root", root.Name(), root.SpanKind(), root.Parent())
	}
	traceID := root.SpanContext().TraceID()

	const method = "cohabit.hosts.v1.HostService/CreateHost"
	call := childSpan(t, rec, root, trace.SpanKindClient, func(sp sdktrace.ReadOnlySpan) bool { return sp.Name() == method })
	rpc := childSpan(t, rec, call, trace.SpanKindServer, func(sp sdktrace.ReadOnlySpan) bool { return sp.Name() == method })
	subject := hostsevents.HostRegistered.Subject
	publish := childSpan(t, rec, rpc, trace.SpanKindProducer, func(sp sdktrace.ReadOnlySpan) bool { return sp.Name() == "publish "+subject })

	// Every service following hosts' events consumes it, each under its durable consumer.
	want := []string{"desk-hosts", "identity-hosts"}
	var groups []string
	eventually(t, "consumer spans of "+subject+" for "+strings.Join(want, ", "), func() bool {
		groups = groups[:0]
		for _, sp := range rec.Ended() {
			if sp.Parent().SpanID() == publish.SpanContext().SpanID() && sp.SpanKind() == trace.SpanKindConsumer && sp.Name() == "process "+subject {
				if sp.SpanContext().TraceID() != traceID {
					t.Fatalf("consumer span %s in trace %s, want the gateway's %s", spanAttr(sp, "messaging.consumer.group.name"), sp.SpanContext().TraceID(), traceID)
				}
				groups = append(groups, spanAttr(sp, "messaging.consumer.group.name"))
			}
		}
		for _, w := range want {
			if !slices.Contains(groups, w) {
				return false
			}
		}
		return true
	})
	slices.Sort(groups)
	t.Logf("trace %s: %s → %s → %s → %s → consumers %v", traceID, root.Name(), call.Name(), rpc.Name(), publish.Name(), groups)
}

// child waits for the one span of kind, the direct child of parent in parent's trace, that
// match accepts.
func childSpan(t *testing.T, rec *tracetest.SpanRecorder, parent sdktrace.ReadOnlySpan, kind trace.SpanKind, match func(sdktrace.ReadOnlySpan) bool) sdktrace.ReadOnlySpan {
	t.Helper()
	var found []sdktrace.ReadOnlySpan
	eventually(t, fmt.Sprintf("a %v child of %q", kind, parent.Name()), func() bool {
		found = found[:0]
		for _, sp := range rec.Ended() {
			if sp.Parent().SpanID() == parent.SpanContext().SpanID() && sp.SpanKind() == kind && match(sp) {
				found = append(found, sp)
			}
		}
		return len(found) > 0
	})
	if len(found) != 1 {
		t.Fatalf("%d %v children of %q, want 1", len(found), kind, parent.Name())
	}
	if found[0].SpanContext().TraceID() != parent.SpanContext().TraceID() {
		t.Fatalf("%q is in trace %s, its parent %q in %s", found[0].Name(), found[0].SpanContext().TraceID(), parent.Name(), parent.SpanContext().TraceID())
	}
	return found[0]
}

func spanAttr(sp sdktrace.ReadOnlySpan, key string) string {
	for _, a := range sp.Attributes() {
		if string(a.Key) == key {
			return a.Value.Emit()
		}
	}
	return ""
}

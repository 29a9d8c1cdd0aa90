// Package ready answers /readyz: the gateway is ready when every backend it forwards to
// answers the standard gRPC health check with SERVING.
package ready

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
)

// Backend is one gRPC service to probe.
type Backend struct {
	Name   string
	Health healthpb.HealthClient
}

// Report is the body of a /readyz answer.
type Report struct {
	Ready    bool            `json:"ready"`
	Backends []BackendReport `json:"backends"`
}

// BackendReport is one backend's state: its health status ("SERVING", "NOT_SERVING") or, when
// the check failed, the gRPC code of the failure ("Unavailable", "DeadlineExceeded").
type BackendReport struct {
	Name   string `json:"name"`
	Ready  bool   `json:"ready"`
	Status string `json:"status"`
}

// Handler probes every backend in parallel, each within timeout, and answers 200 when all
// are SERVING, 503 otherwise. Failures are logged with their cause; the response names only
// the backend and a status, since /readyz is reachable by anyone who reaches the gateway.
func Handler(backends []Backend, timeout time.Duration, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rep := Report{Ready: true, Backends: make([]BackendReport, len(backends))}
		var wg sync.WaitGroup
		for i, b := range backends {
			wg.Go(func() {
				rep.Backends[i] = probe(r.Context(), b, timeout, log)
			})
		}
		wg.Wait()
		code := http.StatusOK
		for _, b := range rep.Backends {
			if !b.Ready {
				rep.Ready = false
				code = http.StatusServiceUnavailable
			}
		}
		body, err := json.Marshal(rep)
		if err != nil {
			// A struct of strings and bools always marshals; answer plainly if it ever does not.
			http.Error(w, "not ready", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		w.WriteHeader(code)
		_, _ = w.Write(body)
	})
}

func probe(ctx context.Context, b Backend, timeout time.Duration, log *slog.Logger) BackendReport {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	resp, err := b.Health.Check(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		log.WarnContext(ctx, "backend not ready", "backend", b.Name, "err", err)
		return BackendReport{Name: b.Name, Status: status.Code(err).String()}
	}
	st := resp.GetStatus()
	if st != healthpb.HealthCheckResponse_SERVING {
		log.WarnContext(ctx, "backend not ready", "backend", b.Name, "status", st.String())
	}
	return BackendReport{Name: b.Name, Ready: st == healthpb.HealthCheckResponse_SERVING, Status: st.String()}
}

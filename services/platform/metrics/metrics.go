// Package metrics is how every Cohabit process shows operators what it does: a Prometheus
// registry of its own (never the global one: the all-in-one process and the tests run
// several services side by side) served on a listener of its own, never the public one.
// Besides the Go runtime and process figures, it holds the collectors every service shares:
// per-RPC latency (RPC), the outbox's backlog (Outbox), the durable consumers' lag
// (Consumers) and the database pool (Pool); boot wires them all.
package metrics

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewRegistry returns a registry holding the Go runtime's and the process's metrics.
func NewRegistry() (*prometheus.Registry, error) {
	reg := prometheus.NewRegistry()
	if err := reg.Register(collectors.NewGoCollector()); err != nil {
		return nil, fmt.Errorf("register go metrics: %w", err)
	}
	if err := reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
		return nil, fmt.Errorf("register process metrics: %w", err)
	}
	return reg, nil
}

// Handler serves reg in Prometheus' text format. A collector that fails (the database is
// away during a failover) leaves its series out and is logged; the others are still served,
// so a scrape never loses everything for one part.
func Handler(reg *prometheus.Registry, log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:      reg,
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	})
}

// Listen binds addr and serves h as GET /metrics (and nothing else) until stop is called.
// It returns the bound address (addr may ask for port 0).
func Listen(addr string, h http.Handler, log *slog.Logger) (bound net.Addr, stop func(), err error) {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("listen metrics %s: %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 5 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(lis); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("metrics listener stopped", "err", err)
		}
	}()
	return lis.Addr(), func() { _ = srv.Close() }, nil
}

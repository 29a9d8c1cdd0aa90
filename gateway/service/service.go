package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cohabit/cohabit/gateway/internal/middleware"
	"github.com/cohabit/cohabit/gateway/internal/observe"
	"github.com/cohabit/cohabit/gateway/internal/ready"
	"github.com/cohabit/cohabit/gateway/internal/rest"
	"github.com/cohabit/cohabit/gateway/internal/static"
	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/gateway/internal/webapp/site"
	"github.com/cohabit/cohabit/gateway/openapi"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/metrics"
	"github.com/cohabit/cohabit/services/platform/tracing"
)

// Run serves the gateway on cfg.HTTPAddr until ctx is done, then shuts down gracefully:
// requests in flight get cfg.ShutdownTimeout to finish. It returns an error when the
// configuration names a missing or unknown backend, when the address cannot be bound, or when
// the server fails; a shutdown on ctx returns nil.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	cfg = cfg.withDefaults()
	if cfg.MaxBodyBytes < 0 {
		return fmt.Errorf("gateway: max body bytes %d: must be positive", cfg.MaxBodyBytes)
	}
	// Traces start here (observe.Trace) and follow the gRPC calls (grpcx.Dial); exported
	// over OTLP when the OTEL_* variables say where (platform/tracing).
	traces, err := tracing.Setup(ctx, "gateway", os.Getenv, log)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	defer traces.Close(ctx, log)
	table, err := resolve(cfg.Backends)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}

	gw := rest.NewMux(cfg.MaxBodyBytes, log)
	probes := make([]ready.Backend, 0, len(table))
	conns := make(webapp.Conns, len(table))
	for _, b := range table {
		// Connections are lazy: a backend that is down at start only makes /readyz fail
		// until it comes up, it does not stop the gateway.
		cc, err := grpcx.Dial(b.addr)
		if err != nil {
			return fmt.Errorf("gateway: backend %s: %w", b.name, err)
		}
		defer cc.Close()
		if err := b.register(ctx, gw, cc); err != nil {
			return fmt.Errorf("gateway: register backend %s: %w", b.name, err)
		}
		probes = append(probes, ready.Backend{Name: b.name, Health: healthpb.NewHealthClient(cc)})
		conns[b.name] = cc
	}
	web, err := site.New(conns, log)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}

	// A registry per Run, not the global default: two gateways in one test process must not
	// share (or clash on) their metrics. The services' registries are made and served the
	// same way (platform/metrics, through boot).
	reg, err := metrics.NewRegistry()
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	obs, err := observe.New(reg, log)
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	spec, err := static.OpenAPI(openapi.Spec())
	if err != nil {
		return fmt.Errorf("gateway: %w", err)
	}

	mux := http.NewServeMux()
	handle := func(pattern string, h http.Handler) {
		_, path, _ := strings.Cut(pattern, " ")
		mux.Handle(pattern, observe.Route(path, h))
	}
	// The REST API: grpc-gateway labels its own routes (rest.labelRoute).
	mux.Handle("/v1/", withExport(conns, gw, log))
	handle("GET /healthz", static.Healthz())
	handle("GET /readyz", ready.Handler(probes, cfg.ReadyTimeout, log))
	metricsHandler := metrics.Handler(reg, log)
	if cfg.MetricsAddr == "" {
		// Runtime and route data tell an attacker much: off the public listener, they are
		// only for this machine.
		handle("GET /metrics", middleware.LoopbackOnly(metricsHandler))
	}
	handle("GET /openapi.json", spec)
	// Everything else is the web application's: its pages, its static files, its 404s.
	// Its forms carry a CSRF token; Go's cross-origin protection is the second defence: a
	// browser's POST from another origin (Sec-Fetch-Site, Origin) is refused before any
	// handler, even one from a sibling subdomain that could plant a CSRF cookie (issue 18).
	// The REST API is left out: it takes bearer tokens, never cookies.
	mux.Handle("/", http.NewCrossOriginProtection().Handler(web))

	var h http.Handler = mux
	h = middleware.LimitBody(cfg.MaxBodyBytes, h, middleware.LargerBody{Match: rest.IsDocumentUpload, Max: rest.MaxDocumentBody},
		middleware.LargerBody{Match: webapp.IsDocumentUpload, Max: webapp.MaxUploadBody})
	if cfg.AuthBurst > 0 {
		h = middleware.LimitAuth(middleware.AuthLimit{
			PerMinute: float64(cfg.AuthPerMinute), Burst: cfg.AuthBurst, TrustForwardedFor: cfg.TrustForwardedFor, Match: authRequest,
		}, h)
	}
	h = middleware.SecurityHeaders(cfg.HSTSMaxAge, h)
	h = observe.Trace(h)
	h = obs.Middleware(h)
	h = middleware.RequestID(h)

	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		// Bounds a slow client trickling a body; generous, since the largest body is 1 MiB.
		ReadTimeout: 30 * time.Second,
		IdleTimeout: 2 * time.Minute,
		ErrorLog:    slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests must not be cancelled the moment ctx is: Shutdown lets them finish.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	lis, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("gateway: listen %s: %w", cfg.HTTPAddr, err)
	}
	log.InfoContext(ctx, "gateway listening", "addr", lis.Addr().String(), "backends", cfg.Backends)
	if cfg.Ready != nil {
		cfg.Ready(lis.Addr())
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(lis) }()
	if cfg.MetricsAddr != "" {
		bound, stopMetrics, err := metrics.Listen(cfg.MetricsAddr, metricsHandler, log)
		if err != nil {
			_ = srv.Close()
			return fmt.Errorf("gateway: %w", err)
		}
		defer stopMetrics()
		log.InfoContext(ctx, "metrics listening", "addr", bound.String())
	}
	select {
	case err := <-errc:
		return fmt.Errorf("gateway: serve http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
		return fmt.Errorf("gateway: shutdown http: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("gateway: serve http: %w", err)
	}
	log.InfoContext(ctx, "gateway stopped")
	return nil
}

// resolved is a backend of the table with its configured address.
type resolved struct {
	backend
	addr string
}

// resolve pairs the table with the configured addresses, refusing a backend without an
// address and a configured name the table does not know (a typo would otherwise leave a
// service silently unrouted).
func resolve(addrs map[string]string) ([]resolved, error) {
	var out []resolved
	var bad []error
	known := make(map[string]bool)
	for _, b := range backends() {
		known[b.name] = true
		addr := addrs[b.name]
		if addr == "" && b.optional {
			continue // not served: its routes answer 404
		}
		if addr == "" {
			bad = append(bad, fmt.Errorf("backend %s has no address (%s)", b.name, b.env))
			continue
		}
		out = append(out, resolved{backend: b, addr: addr})
	}
	var unknown []string
	for name := range addrs {
		if !known[name] {
			unknown = append(unknown, name)
		}
	}
	slices.Sort(unknown)
	for _, name := range unknown {
		bad = append(bad, fmt.Errorf("unknown backend %q", name))
	}
	return out, errors.Join(bad...)
}

// WebRoute is one route of the web application and who may use it: anyone (SignedIn
// false), any signed-in person (Role ""), or one role ("admin", "coordinator", "host",
// "student").
type WebRoute = webapp.Route

// WebRoutes is the web application's route table, for the platform's authorization matrix.
func WebRoutes() ([]WebRoute, error) { return site.Routes() }

// authRequest is a sign-in or a sign-up, through the API or the web forms.
func authRequest(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	switch r.URL.Path {
	case "/v1/auth/login", "/v1/auth/signup", "/login", "/signup":
		return true
	}
	return false
}

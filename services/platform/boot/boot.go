// Package boot is the start-up and lifetime that every service shares: resolve the token key,
// migrate, open the pool, connect to NATS and declare the service's stream, build the gRPC
// server with the verifier and the policy, then run the outbox relay, the programmes
// consumer, the service's own consumers and jobs, and the server under one errgroup, closing
// the pool and the NATS connection on the way out. A service's Run says only what is its own
// in a Service and calls Run.
package boot

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	"github.com/cohabit/cohabit/services/platform/audit"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/housekeeping"
	"github.com/cohabit/cohabit/services/platform/metrics"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/revocation"
	"github.com/cohabit/cohabit/services/platform/tracing"
)

// Service is what one service declares about itself.
type Service struct {
	// Name is the service's name: the prefix of every error Run returns ("hosts: …"), its
	// NATS connection name, its relay's lock, and its programmes consumer's durable name.
	Name string
	// Stream is the stream the service owns.
	Stream natsx.Stream
	// Migrate brings the database at url to the service's schema.
	Migrate func(ctx context.Context, url string) error
	// Policy is the authorization rule of every RPC the service serves.
	Policy grpcx.Policy
	// Programmes runs programmes.Consumer, which keeps the service's copy of the programmes'
	// settings (its migrations must include programmes.Migrations). Every service but the
	// identity service, which owns the programmes, wants it.
	Programmes bool
	// MaxMessageBytes raises the largest gRPC request the service accepts above grpcx's
	// default (the desk takes files); zero keeps the default.
	MaxMessageBytes int
	// Build assembles the service on what Run opened: it registers the gRPC handlers on
	// d.Server and returns the service's consumers and jobs. Its error is returned prefixed
	// with Name, before anything is served.
	Build func(ctx context.Context, d Deps) (Parts, error)
}

// Deps is what Run opened and Build builds on. Run owns them: they close when Run returns.
type Deps struct {
	Pool   *pgxpool.Pool
	JS     jetstream.JetStream
	Server *grpcx.Server
	Log    *slog.Logger
	// Dial connects to another service as this service (a service token on every call),
	// for the read-only calls of SPEC §1; it fails without the service's private key.
	// Connections are the caller's to close.
	Dial func(target string) (*grpc.ClientConn, error)
	// Connect is a connection to the service called name, as this service, dialled on its
	// first call at the address Config.AddrOf gives then, else at configured. Run closes it.
	Connect func(name, configured string) grpc.ClientConnInterface
	// Metrics is the service's registry (served on Config.MetricsAddr): Build registers the
	// collectors of what is the service's own (matching's in-memory pools).
	Metrics prometheus.Registerer
}

// Parts is what runs besides the relay and the gRPC server.
type Parts struct {
	// Consumers are the service's durable consumers of other services' events.
	Consumers []*natsx.Consumer
	// Jobs run until ctx is done; an error stops the whole service.
	Jobs []func(ctx context.Context) error
}

// Config is the part of a service's configuration that Run needs.
type Config struct {
	GRPCAddr    string
	DatabaseURL string
	NATSURL     string
	// TokenKey verifies bearer tokens; read from TokenKeyFile when nil.
	TokenKey     ed25519.PublicKey
	TokenKeyFile string
	// Service is the service key material: its public half lets other services read here,
	// its private half lets this one read from them (auth.ServiceKeys).
	Service auth.ServiceKeys
	// MaxDBConns bounds the pool (pgx's default when 0).
	MaxDBConns int
	// Streams are the deployment's stream settings (replicas, maximum age, duplicate
	// window: natsx.LoadStreamSettings), applied over Service.Stream's own.
	Streams natsx.StreamSettings
	// Ready, if not nil, is called once the gRPC server listens (tests bind to port 0).
	Ready func(addr net.Addr)
	// MetricsAddr is where /metrics is served, a listener of its own (metrics.Listen); empty
	// is a free port on the loopback interface, as the tests and the all-in-one process
	// want. MetricsReady, if not nil, is called with the address bound.
	MetricsAddr  string
	MetricsReady func(addr net.Addr)
	// AddrOf, if not nil, gives the address another service bound (the all-in-one process
	// binds free ports); "" keeps the configured one. Deps.Connect reads it.
	AddrOf func(service string) string
}

// Run starts s and serves until ctx is done, then stops everything and returns nil. It
// returns the first error of any step or of anything running, prefixed with s.Name; one
// failure stops every other part.
func Run(ctx context.Context, s Service, cfg Config, log *slog.Logger) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("%s: %w", s.Name, err)
		}
	}()
	// Traces (platform/tracing): every RPC served and called, and every event published and
	// consumed, exported over OTLP when the OTEL_* variables say where. In the all-in-one
	// process the stack installed them first, and this does nothing.
	traces, err := tracing.Setup(ctx, s.Name, os.Getenv, log)
	if err != nil {
		return err
	}
	defer traces.Close(ctx, log)
	key := cfg.TokenKey
	if key == nil {
		k, err := auth.LoadPublicKey(cfg.TokenKeyFile)
		if err != nil {
			return fmt.Errorf("token key: %w", err)
		}
		key = k
	}
	svcKeys, err := cfg.Service.Load()
	if err != nil {
		return err
	}
	if err := s.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return err
	}
	pool, err := pg.Open(ctx, cfg.DatabaseURL, int32(cfg.MaxDBConns))
	if err != nil {
		return err
	}
	defer pool.Close()
	nc, js, err := natsx.Connect(cfg.NATSURL, s.Name, log)
	if err != nil {
		return err
	}
	defer nc.Close()
	if err := natsx.EnsureStream(ctx, js, s.Stream.With(cfg.Streams)); err != nil {
		return err
	}

	announcePolicy(ctx, s.Name, s.Policy)
	// Operators' metrics (platform/metrics): every RPC timed by method and code, the outbox's
	// backlog, the consumers' lag, the pool; Build adds the service's own.
	reg, err := metrics.NewRegistry()
	if err != nil {
		return err
	}
	// The series that are Cohabit's carry the service's name, whatever the scrape's labels
	// (the rules of deploy/observability group by it); the runtime's do not need it.
	own := prometheus.WrapRegistererWith(prometheus.Labels{"service": s.Name}, reg)
	rpcStats, err := metrics.NewRPC(own)
	if err != nil {
		return err
	}
	opts := []grpc.ServerOption{grpc.StatsHandler(rpcStats)}
	if s.MaxMessageBytes > 0 {
		opts = append(opts, grpc.MaxRecvMsgSize(s.MaxMessageBytes), grpc.MaxSendMsgSize(s.MaxMessageBytes))
	}
	// Every read or change of a person by a coordinator or an admin is recorded (SPEC §9).
	opts = append(opts, grpc.ChainUnaryInterceptor(audit.Interceptor(s.Name, pool, nil)))
	// Sessions that ended (sign-out, revoked by a coordinator or an admin) are refused here
	// as soon as the identity service's event arrives (revocation.Follow, run below).
	revs := auth.NewRevocations()
	srv := grpcx.NewServer(log, auth.NewVerifierWithService(key, svcKeys.Public).WithRevocations(revs), s.Policy, opts...)
	var issuer *auth.ServiceIssuer
	if svcKeys.Private != nil {
		issuer = auth.NewServiceIssuer(svcKeys.Private, s.Name)
	}
	dial := func(target string) (*grpc.ClientConn, error) {
		if issuer == nil {
			return nil, fmt.Errorf("dial %s: %w", target, auth.ErrNoServiceKey)
		}
		return grpcx.DialAsService(target, issuer)
	}
	var lazies []*grpcx.Lazy
	defer func() {
		for _, l := range lazies {
			_ = l.Close()
		}
	}()
	connect := func(name, configured string) grpc.ClientConnInterface {
		l := grpcx.NewLazy(func() string {
			if cfg.AddrOf != nil {
				if a := cfg.AddrOf(name); a != "" {
					return a
				}
			}
			return configured
		}, dial)
		lazies = append(lazies, l)
		return l
	}
	parts, err := s.Build(ctx, Deps{Pool: pool, JS: js, Server: srv, Log: log, Dial: dial, Connect: connect, Metrics: own})
	if err != nil {
		return err
	}
	consumers := parts.Consumers
	if s.Programmes {
		consumers = append([]*natsx.Consumer{programmes.Consumer(pool, s.Name, log)}, consumers...)
	}
	if err := distinctDurables(consumers); err != nil {
		return fmt.Errorf("%s: %w", s.Name, err)
	}
	relay := &outbox.Relay{Pool: pool, JS: js, Log: log, Name: s.Name}
	ready := prometheus.NewGauge(prometheus.GaugeOpts{Name: "cohabit_ready",
		Help: "1 while the service is ready (its database answers and NATS is connected), 0 otherwise."})
	if err := own.Register(ready); err != nil {
		return fmt.Errorf("register metrics: %w", err)
	}
	stopMetrics, err := serveMetrics(reg, own, pool, js, consumers, cfg, log)
	if err != nil {
		return err
	}
	defer stopMetrics()

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return relay.Run(ctx) })
	g.Go(func() error { return revocation.Follow(ctx, js, revs, log) })
	// Published outbox rows and old inbox claims are purged (platform/housekeeping).
	g.Go(func() error {
		return housekeeping.Run(ctx, pool, housekeeping.LoadSettings(config.New(os.Getenv)), nil, log)
	})
	for _, c := range consumers {
		g.Go(func() error { return c.Run(ctx, js) })
	}
	for _, job := range parts.Jobs {
		g.Go(func() error { return job(ctx) })
	}
	g.Go(func() error { return watchReadiness(ctx, srv, pool, nc, ready, log) })
	g.Go(func() error { return srv.Serve(ctx, cfg.GRPCAddr, cfg.Ready) })
	return g.Wait()
}

// distinctDurables refuses two consumers of one service under one durable name: JetStream
// would hand each event to one of them only, and each would rewrite the other's filter
// (the desk's own settings consumer once shared "desk-identity" with the programmes copy, and
// half of the settings changes never reached it).
func distinctDurables(cs []*natsx.Consumer) error {
	seen := map[string]bool{}
	for _, c := range cs {
		key := c.Stream + "/" + c.Durable
		if seen[key] {
			return fmt.Errorf("two consumers named %s on stream %s", c.Durable, c.Stream)
		}
		seen[key] = true
	}
	return nil
}

// LoadServiceKeys reads the service key files' names from the environment: every process
// reads the same two variables, whichever halves it needs.
func LoadServiceKeys(e *config.Env) auth.ServiceKeys {
	return auth.ServiceKeys{
		PublicFile:  e.String("COHABIT_SERVICE_PUBLIC_KEY_FILE", ""),
		PrivateFile: e.String("COHABIT_SERVICE_PRIVATE_KEY_FILE", ""),
	}
}

// serveMetrics registers the collectors every service shares through own (reg, with the
// service's label) and serves reg on cfg.MetricsAddr until stop is called.
func serveMetrics(reg *prometheus.Registry, own prometheus.Registerer, pool *pgxpool.Pool, js jetstream.JetStream, consumers []*natsx.Consumer,
	cfg Config, log *slog.Logger) (stop func(), err error) {
	durables := make([]metrics.Durable, 0, len(consumers))
	for _, c := range consumers {
		durables = append(durables, metrics.Durable{Stream: c.Stream, Name: c.Durable})
	}
	for _, c := range []prometheus.Collector{metrics.Outbox(pool), metrics.Pool(pool), metrics.Consumers(js, durables)} {
		if err := own.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	addr := cfg.MetricsAddr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	bound, stop, err := metrics.Listen(addr, metrics.Handler(reg, log), log)
	if err != nil {
		return nil, err
	}
	log.Info("metrics listening", "addr", bound.String())
	if cfg.MetricsReady != nil {
		cfg.MetricsReady(bound)
	}
	return stop, nil
}

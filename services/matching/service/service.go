// Package service assembles the matching service: configuration, database, migrations, event
// relay, the pool's consumers, the expiry job, and the gRPC server. Run is exported so that
// one test process can boot every service.
package service

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"log/slog"
	"net"
	"time"

	"golang.org/x/sync/errgroup"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/eventsub"
	"github.com/cohabit/cohabit/services/matching/internal/grpcapi"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
)

// DefaultExpiryInterval is how often the expiry job looks for matches past their expiry time.
const DefaultExpiryInterval = 5 * time.Second

// Config is everything the matching service reads at start.
type Config struct {
	GRPCAddr    string
	DatabaseURL string
	NATSURL     string
	// TokenKey verifies bearer tokens; read from TokenKeyFile when nil.
	TokenKey     ed25519.PublicKey
	TokenKeyFile string
	MaxDBConns   int
	// ExpiryInterval is the expiry job's period (DefaultExpiryInterval when zero).
	ExpiryInterval time.Duration
	// Now is the clock; tests move it.
	Now func() time.Time
	// Ready is called once the gRPC server listens (tests bind to port 0).
	Ready func(addr net.Addr)
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		GRPCAddr:     e.String("COHABIT_MATCHING_GRPC_ADDR", "localhost:9104"),
		DatabaseURL:  e.String("COHABIT_MATCHING_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/cohabit_matching?sslmode=disable"),
		NATSURL:      e.String("COHABIT_NATS_URL", "nats://127.0.0.1:4333"),
		TokenKeyFile: e.String("COHABIT_TOKEN_PUBLIC_KEY_FILE", ".data/keys/token.pub"),
		MaxDBConns:   e.Int("COHABIT_MATCHING_DB_MAX_CONNS", 10),
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	log = log.With("service", "matching")
	key := cfg.TokenKey
	if key == nil {
		k, err := auth.LoadPublicKey(cfg.TokenKeyFile)
		if err != nil {
			return fmt.Errorf("matching: token key: %w", err)
		}
		key = k
	}
	if err := postgres.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return fmt.Errorf("matching: %w", err)
	}
	pool, err := pg.Open(ctx, cfg.DatabaseURL, int32(cfg.MaxDBConns))
	if err != nil {
		return fmt.Errorf("matching: %w", err)
	}
	defer pool.Close()
	nc, js, err := natsx.Connect(cfg.NATSURL, "matching", log)
	if err != nil {
		return fmt.Errorf("matching: %w", err)
	}
	defer nc.Close()
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: "MATCHING", Subjects: []string{"cohabit.matching.>"}}); err != nil {
		return fmt.Errorf("matching: %w", err)
	}

	store := postgres.New(pool)
	a := app.New(store, cfg.Now)
	srv := grpcx.NewServer(log, auth.NewVerifier(key), grpcapi.Policy)
	matchingv1.RegisterMatchingServiceServer(srv, grpcapi.New(a))
	relay := &outbox.Relay{Pool: pool, JS: js, Log: log, Name: "matching"}
	interval := cfg.ExpiryInterval
	if interval <= 0 {
		interval = DefaultExpiryInterval
	}

	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return relay.Run(ctx) })
	g.Go(func() error { return programmes.Consumer(pool, "matching", log).Run(ctx, js) })
	for _, c := range eventsub.Consumers(pool, a, log) {
		g.Go(func() error { return c.Run(ctx, js) })
	}
	g.Go(func() error {
		return a.RunExpiry(ctx, interval, func(err error) { log.ErrorContext(ctx, "expiry run failed; retried at the next tick", "err", err) })
	})
	g.Go(func() error { return srv.Serve(ctx, cfg.GRPCAddr, cfg.Ready) })
	return g.Wait()
}

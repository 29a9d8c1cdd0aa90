package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"

	"golang.org/x/sync/errgroup"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/identity/internal/eventsub"
	"github.com/cohabit/cohabit/services/identity/internal/grpcapi"
	"github.com/cohabit/cohabit/services/identity/internal/password"
	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Name is the service's name on NATS and in the relay's lock; StreamName is the stream it owns.
const (
	Name       = "identity"
	StreamName = "IDENTITY"
)

// Run serves the identity service until ctx ends: it migrates the database, declares the
// IDENTITY stream, creates the bootstrap admin and the demo data when configured, then runs the
// gRPC server, the outbox relay and the event consumers together; the first to fail stops all.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if len(cfg.TokenKey) != ed25519.PrivateKeySize {
		return errors.New("identity: no token key: set " + EnvTokenPrivateKeyFile + " or Config.TokenKey")
	}
	hasher, err := password.New(cfg.argon2())
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}

	if err := postgres.Migrate(ctx, cfg.DatabaseURL); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	pool, err := pg.Open(ctx, cfg.DatabaseURL, 0)
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	defer pool.Close()

	nc, js, err := natsx.Connect(cfg.NATSURL, Name, log)
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	defer nc.Close()
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: StreamName, Subjects: []string{"cohabit.identity.>"}}); err != nil {
		return fmt.Errorf("identity: %w", err)
	}

	a, err := app.New(app.Deps{
		Store:  postgres.New(pool),
		Hasher: hasher,
		Tokens: auth.NewIssuer(cfg.TokenKey, cfg.TokenTTL),
		Now:    cfg.Now,
		Log:    log,
	})
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if cfg.BootstrapAdminEmail != "" {
		if err := a.EnsureAccount(ctx, app.NewAccount{
			Email: cfg.BootstrapAdminEmail, Password: cfg.BootstrapAdminPassword, Role: auth.RoleAdmin,
		}); err != nil {
			return fmt.Errorf("identity: bootstrap admin: %w", err)
		}
	}
	if cfg.DevSeed {
		if err := a.SeedDemo(ctx); err != nil {
			return fmt.Errorf("identity: %w", err)
		}
		log.WarnContext(ctx, "demo programme and accounts ensured: development only, their passwords are public")
	}

	pub, ok := cfg.TokenKey.Public().(ed25519.PublicKey)
	if !ok {
		return errors.New("identity: token key has no Ed25519 public half")
	}
	srv := grpcx.NewServer(log, auth.NewVerifier(pub), grpcapi.Policy())
	grpcapi.New(a).Register(srv)
	srv.Health.SetServingStatus(identityv1.IdentityService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)

	g, gctx := errgroup.WithContext(ctx)
	relay := &outbox.Relay{Pool: pool, JS: js, Log: log, Name: Name}
	g.Go(func() error { return relay.Run(gctx) })
	for _, c := range eventsub.Consumers(a, log) {
		g.Go(func() error { return c.Run(gctx, js) })
	}
	g.Go(func() error { return srv.Serve(gctx, cfg.GRPCAddr, cfg.Ready) })
	if err := g.Wait(); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	return nil
}

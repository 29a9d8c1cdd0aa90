// Package service assembles the figures service: configuration, database, migrations, the
// consumers that feed its read model from every service's events (eventsub), and the gRPC
// server. It publishes nothing: boot declares its FIGURES stream, which stays empty, and runs
// the outbox relay, which finds nothing to relay. Run is exported so that one test process
// can boot every service.
package service

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"net"
	"time"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	"github.com/cohabit/cohabit/services/figures/internal/app"
	"github.com/cohabit/cohabit/services/figures/internal/eventsub"
	"github.com/cohabit/cohabit/services/figures/internal/grpcapi"
	"github.com/cohabit/cohabit/services/figures/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// Config is everything the figures service reads at start.
type Config struct {
	GRPCAddr    string
	DatabaseURL string
	NATSURL     string
	// TokenKey verifies bearer tokens; read from TokenKeyFile when nil.
	TokenKey     ed25519.PublicKey
	TokenKeyFile string
	// Service is the service key material (auth.ServiceKeys); figures reads no one.
	Service    auth.ServiceKeys
	MaxDBConns int
	// Streams are the deployment's stream settings (natsx.LoadStreamSettings).
	Streams natsx.StreamSettings
	// ConsumerPrefix names the durable consumers (<prefix>-hosts, …) and their inbox. To
	// rebuild the read model, run with an empty database and a new prefix: the new consumers
	// replay every stream from its first event.
	ConsumerPrefix string
	// Now is the clock (the default period is its year); tests move it.
	Now func() time.Time
	// Ready is called once the gRPC server listens (tests bind to port 0).
	Ready func(addr net.Addr)
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		GRPCAddr:       e.String("COHABIT_FIGURES_GRPC_ADDR", "localhost:9108"),
		DatabaseURL:    e.String("COHABIT_FIGURES_DATABASE_URL", "postgres://postgres@127.0.0.1:15432/cohabit_figures?sslmode=disable"),
		NATSURL:        e.String("COHABIT_NATS_URL", "nats://127.0.0.1:4333"),
		TokenKeyFile:   e.String("COHABIT_TOKEN_PUBLIC_KEY_FILE", ".data/keys/token.pub"),
		Service:        boot.LoadServiceKeys(e),
		Streams:        natsx.LoadStreamSettings(e),
		MaxDBConns:     e.Int("COHABIT_FIGURES_DB_MAX_CONNS", 10),
		ConsumerPrefix: e.String("COHABIT_FIGURES_CONSUMER_PREFIX", "figures"),
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	prefix := cfg.ConsumerPrefix
	if prefix == "" {
		prefix = "figures"
	}
	return boot.Run(ctx, boot.Service{
		Name:    "figures",
		Stream:  natsx.Stream{Name: "FIGURES", Subjects: []string{"cohabit.figures.>"}},
		Migrate: postgres.Migrate,
		Policy:  grpcapi.Policy,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			store := postgres.New(d.Pool)
			figuresv1.RegisterFiguresServiceServer(d.Server, grpcapi.New(app.New(store, cfg.Now)))
			// Figures keep ids and counts, no person: an erasure leaves them as they are (SPEC §9:
			// the figures keep their counts), but the id is remembered like everywhere.
			consumers := append(eventsub.Consumers(store, prefix, d.Log), erasure.Consumers(d.Pool, prefix, d.Log, erasure.Nothing)...)
			return boot.Parts{Consumers: consumers}, nil
		},
	}, boot.Config{
		GRPCAddr: cfg.GRPCAddr, DatabaseURL: cfg.DatabaseURL, NATSURL: cfg.NATSURL,
		TokenKey: cfg.TokenKey, TokenKeyFile: cfg.TokenKeyFile, Service: cfg.Service, MaxDBConns: cfg.MaxDBConns, Streams: cfg.Streams,
		Ready: cfg.Ready,
	}, log.With("service", "figures"))
}

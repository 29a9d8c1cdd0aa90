// Package service assembles the figures service: configuration, database, migrations, the
// consumers that feed its read model from every service's events (eventsub), and the gRPC
// server. It publishes nothing: boot declares its FIGURES stream, which stays empty, and runs
// the outbox relay, which finds nothing to relay. Run is exported so that one test process
// can boot every service.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/figuresevents"
	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	"github.com/cohabit/cohabit/services/figures/internal/app"
	"github.com/cohabit/cohabit/services/figures/internal/eventsub"
	"github.com/cohabit/cohabit/services/figures/internal/grpcapi"
	"github.com/cohabit/cohabit/services/figures/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

// Config is everything the figures service reads at start.
type Config struct {
	boot.Config
	// ConsumerPrefix names the durable consumers (<prefix>-hosts, …) and their inbox. To
	// rebuild the read model, run with an empty database and a new prefix: the new consumers
	// replay every stream from its first event.
	ConsumerPrefix string
	// Now is the clock (the default period is its year); tests move it.
	Now func() time.Time
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		Config:         boot.LoadConfig(e, "figures", "localhost:9108"),
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
		Stream:  consume.Stream(figuresevents.Stream),
		Migrate: postgres.Migrate,
		Policy:  grpcapi.Policy,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			store := postgres.New(d.Pool)
			figuresv1.RegisterFiguresServiceServer(d.Server, grpcapi.New(app.New(store, cfg.Now)))
			// Figures keep ids and counts, no person: an erasure leaves them as they are (SPEC §9:
			// the figures keep their counts), but the id is remembered like everywhere.
			consumers := append(eventsub.Consumers(d.Pool, store, prefix, d.Log), erasure.Consumers(d.Pool, prefix, d.Log, erasure.Nothing)...)
			return boot.Parts{Consumers: consumers}, nil
		},
	}, cfg.Config, log.With("service", "figures"))
}

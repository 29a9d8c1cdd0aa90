// Package service assembles the desk service (SPEC §6): configuration, database, migrations,
// event relay, the consumers that keep its copies (see eventsub), the documents' expiry job,
// and the gRPC server. Run is exported so that one test process can boot every service.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	"github.com/cohabit/cohabit/services/desk/internal/app"
	"github.com/cohabit/cohabit/services/desk/internal/eventsub"
	"github.com/cohabit/cohabit/services/desk/internal/grpcapi"
	"github.com/cohabit/cohabit/services/desk/internal/jobs"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Stream is the desk's own stream.
var Stream = consume.Stream(deskevents.Stream)

// MaxMessageBytes bounds a gRPC request: the gateway's largest upload body (24 MiB of base64
// JSON, 18 MiB of file), so that a file too large is refused by the desk, naming the field.
const MaxMessageBytes = 20 << 20

// Config is everything the desk service reads at start.
type Config struct {
	boot.Config
	// PublicURL is where the web application is, for the feed's links.
	PublicURL string
	// ExpiryInterval is how often VERIFIED documents past their expiry date are marked
	// EXPIRED; a negative value turns the job off (tests run it through Started).
	ExpiryInterval time.Duration
	// Now is the clock; tests move it.
	Now func() time.Time
	// Started, if set, receives the use cases once built (tests run the expiry job with it).
	Started func(*app.App)
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		Config:         boot.LoadConfig(e, "desk", "localhost:9107"),
		PublicURL:      e.String("COHABIT_PUBLIC_URL", "http://localhost:8080"),
		ExpiryInterval: e.Duration("COHABIT_DESK_EXPIRY_INTERVAL", time.Minute),
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if cfg.ExpiryInterval == 0 {
		cfg.ExpiryInterval = time.Minute
	}
	log = log.With("service", "desk")
	return boot.Run(ctx, boot.Service{
		Name:            "desk",
		Stream:          Stream,
		Migrate:         postgres.Migrate,
		Policy:          export.With(grpcapi.Policy),
		Programmes:      true,
		MaxMessageBytes: MaxMessageBytes,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			store := postgres.New(d.Pool)
			a := app.New(store, cfg.Now, d.Log, cfg.PublicURL)
			deskv1.RegisterDeskServiceServer(d.Server, grpcapi.New(a))
			// Privacy (SPEC §9): the person's export, and erasures applied once.
			export.Register(d.Server, "desk", exporter(store))
			parts := boot.Parts{Jobs: periodic.Funcs(d.Log, jobs.Of(a, cfg.ExpiryInterval)...), Consumers: append(eventsub.Consumers(d.Pool, a, d.Log), erasure.Consumers(d.Pool, "desk", d.Log, a.ErasePerson)...)}
			if cfg.Started != nil {
				cfg.Started(a)
			}
			return parts, nil
		},
	}, cfg.Config, log)
}

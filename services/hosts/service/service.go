// Package service assembles the hosts service: configuration, database, migrations, event
// relay and consumers (programme settings; the match and contract chain, see eventsub), and
// the gRPC server. Run is exported so that one test process can boot every service.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/app"
	"github.com/cohabit/cohabit/services/hosts/internal/eventsub"
	"github.com/cohabit/cohabit/services/hosts/internal/grpcapi"
	"github.com/cohabit/cohabit/services/hosts/internal/jobs"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Config is everything the hosts service reads at start: the shared part (boot.Config) and
// its own.
type Config struct {
	boot.Config
	// Now is the clock; tests move it.
	Now func() time.Time
	// RetentionInterval is how often hosts past their programme's retention period are
	// erased (COHABIT_HOSTS_RETENTION_INTERVAL, daily); negative: never (tests).
	RetentionInterval time.Duration
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		Config:            boot.LoadConfig(e, "hosts", "localhost:9102"),
		RetentionInterval: e.Duration("COHABIT_HOSTS_RETENTION_INTERVAL", 24*time.Hour),
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	return boot.Run(ctx, boot.Service{
		Name:       "hosts",
		Stream:     consume.Stream(hostsevents.Stream),
		Migrate:    postgres.Migrate,
		Policy:     export.With(grpcapi.Policy),
		Programmes: true,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			a := app.New(postgres.New(d.Pool), cfg.Now)
			srv := grpcapi.New(a)
			hostsv1.RegisterHostServiceServer(d.Server, srv)
			export.Register(d.Server, "hosts", srv.Export)
			// The other kind's erasures: nothing of theirs is kept here, but the id is
			// remembered like everywhere (erasure.Consumers).
			consumers := append(eventsub.Consumers(d.Pool, a, d.Log), erasure.Consumers(d.Pool, "hosts", d.Log, erasure.Nothing)...)
			return boot.Parts{Consumers: consumers, Jobs: periodic.Funcs(d.Log, jobs.Of(a, cfg.RetentionInterval)...)}, nil
		},
	}, cfg.Config, log.With("service", "hosts"))
}

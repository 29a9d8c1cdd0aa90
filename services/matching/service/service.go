// Package service assembles the matching service: configuration, database, migrations, event
// relay, the pool's consumers, the expiry job, and the gRPC server. Run is exported so that
// one test process can boot every service.
package service

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/eventsub"
	"github.com/cohabit/cohabit/services/matching/internal/grpcapi"
	"github.com/cohabit/cohabit/services/matching/internal/jobs"
	"github.com/cohabit/cohabit/services/matching/internal/poolcache"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// DefaultExpiryInterval is how often the expiry job looks for matches past their expiry time.
const DefaultExpiryInterval = 5 * time.Second

// Config is everything the matching service reads at start.
type Config struct {
	boot.Config
	// PoolCacheMemory is the byte budget of the pool cache that serves rankings
	// (COHABIT_MATCHING_POOL_MEMORY, in MiB; app.DefaultPoolCacheMemory when zero, none kept
	// when negative).
	PoolCacheMemory int64
	// ExpiryInterval is the expiry job's period (DefaultExpiryInterval when zero).
	ExpiryInterval time.Duration
	// Now is the clock; tests move it.
	Now func() time.Time
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		Config:          boot.LoadConfig(e, "matching", "localhost:9104"),
		PoolCacheMemory: int64(e.Int("COHABIT_MATCHING_POOL_MEMORY", app.DefaultPoolCacheMemory>>20)) << 20,
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	interval := cfg.ExpiryInterval
	if interval <= 0 {
		interval = DefaultExpiryInterval
	}
	return boot.Run(ctx, boot.Service{
		Name:       "matching",
		Stream:     consume.Stream(matchingevents.Stream),
		Migrate:    postgres.Migrate,
		Policy:     export.With(grpcapi.Policy),
		Programmes: true,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			a := app.New(postgres.New(d.Pool), cfg.Now, app.WithPoolCacheMemory(cacheMemory(cfg.PoolCacheMemory), d.Log),
				app.WithDocumentSync(eventsub.DocumentSync(d.JS)))
			matchingv1.RegisterMatchingServiceServer(d.Server, grpcapi.New(a))
			if err := d.Metrics.Register(poolcache.Collector(a.PoolCacheStats)); err != nil {
				return boot.Parts{}, fmt.Errorf("register the pool cache's metrics: %w", err)
			}
			export.Register(d.Server, "matching", a.Export)
			consumers := append(eventsub.Consumers(d.Pool, a, d.Log), erasure.Consumers(d.Pool, "matching", d.Log, a.ErasePerson)...)
			consumers = append(consumers, eventsub.DocumentsConsumer(d.Pool, a, d.Log))
			return boot.Parts{Consumers: consumers, Jobs: periodic.Funcs(d.Log, jobs.Of(a, interval)...)}, nil
		},
	}, cfg.Config, log.With("service", "matching"))
}

// cacheMemory reads Config.PoolCacheMemory: zero is the default, negative none.
func cacheMemory(n int64) int64 {
	switch {
	case n == 0:
		return app.DefaultPoolCacheMemory
	case n < 0:
		return 0
	}
	return n
}

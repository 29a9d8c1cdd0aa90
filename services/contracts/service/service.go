// Package service assembles the contracts service: configuration, database, migrations, event
// relay, consumers, the calendar's jobs, and the gRPC server. Run is exported so that one test
// process can boot every service.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/app"
	"github.com/cohabit/cohabit/services/contracts/internal/eventsub"
	"github.com/cohabit/cohabit/services/contracts/internal/grpcapi"
	"github.com/cohabit/cohabit/services/contracts/internal/jobs"
	"github.com/cohabit/cohabit/services/contracts/internal/parties"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Stream is the contracts service's own stream.
var Stream = consume.Stream(contractsevents.Stream)

// Config is everything the contracts service reads at start.
type Config struct {
	boot.Config
	// JobInterval is how often the calendar's jobs run (notices, end dates, missed
	// check-ins); 0 means the default, a negative value turns them off.
	JobInterval time.Duration
	// Now is the clock; tests move it.
	Now func() time.Time
	// HostsAddr and StudentsAddr are where the contract documents read the parties' details
	// (as this service, read-only), dialled on first use. AddrOf, when set, gives them
	// instead at that time (boot.Config.AddrOf: "hosts", "students"): the all-in-one runner's services bind
	// free ports while this one starts.
	HostsAddr    string
	StudentsAddr string
	// Directory replaces the gRPC reader of the parties' details (tests).
	Directory app.Directory
}

// DefaultJobInterval is how often the jobs run unless configured.
const DefaultJobInterval = 5 * time.Second

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		Config:       boot.LoadConfig(e, "contracts", "localhost:9105"),
		HostsAddr:    e.String("COHABIT_HOSTS_GRPC_ADDR", "localhost:9102"),
		StudentsAddr: e.String("COHABIT_STUDENTS_GRPC_ADDR", "localhost:9103"),
		JobInterval:  e.Duration("COHABIT_CONTRACTS_JOB_INTERVAL", DefaultJobInterval),
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.JobInterval == 0 {
		cfg.JobInterval = DefaultJobInterval
	}
	return boot.Run(ctx, boot.Service{
		Name:       "contracts",
		Stream:     Stream,
		Migrate:    postgres.Migrate,
		Policy:     export.With(grpcapi.Policy),
		Programmes: true,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			store := postgres.New(d.Pool)
			a := app.New(store, cfg.Now)
			parts := boot.Parts{Consumers: eventsub.Consumers(d.Pool, a, d.Log)}
			// Erasure (SPEC §9): each erasure applied once; sealed contracts deleted 5 years
			// after their end, checked daily.
			parts.Consumers = append(parts.Consumers, erasure.Consumers(d.Pool, "contracts", d.Log, postgres.ErasePerson)...)
			parts.Jobs = periodic.Funcs(d.Log, jobs.Of(store, cfg.JobInterval, cfg.Now)...)
			if cfg.Directory != nil {
				a.WithDirectory(cfg.Directory, d.Log)
			} else {
				a.WithDirectory(parties.New(d.Connect("hosts", cfg.HostsAddr), d.Connect("students", cfg.StudentsAddr)), d.Log)
			}
			contractsv1.RegisterContractServiceServer(d.Server, grpcapi.New(a))
			export.Register(d.Server, "contracts", a.Export)
			return parts, nil
		},
	}, cfg.Config, log.With("service", "contracts"))
}

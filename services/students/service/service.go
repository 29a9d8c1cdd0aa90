// Package service assembles the students service: configuration, database, migrations, event
// relay and consumers (programme settings; the match and contract chain, see eventsub), and
// the gRPC server. Run is exported so that one test process can boot every service.
package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/periodic"
	"github.com/cohabit/cohabit/services/students/internal/app"
	"github.com/cohabit/cohabit/services/students/internal/eventsub"
	"github.com/cohabit/cohabit/services/students/internal/grpcapi"
	"github.com/cohabit/cohabit/services/students/internal/jobs"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/rooms"
)

// Config is everything the students service reads at start.
type Config struct {
	boot.Config
	// Now is the clock; tests move it.
	Now func() time.Time
	// RetentionInterval is how often students past their programme's retention period are
	// erased (COHABIT_STUDENTS_RETENTION_INTERVAL, daily); negative: never (tests).
	RetentionInterval time.Duration
	// HostsAddr is where an application's room is read (as this service, read-only) to check
	// that it is a room of the student's programme (COHABIT_HOSTS_GRPC_ADDR), dialled on first
	// use; boot.Config.AddrOf ("hosts"), when set, gives it instead at that time.
	HostsAddr string
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		Config:            boot.LoadConfig(e, "students", "localhost:9103"),
		RetentionInterval: e.Duration("COHABIT_STUDENTS_RETENTION_INTERVAL", 24*time.Hour),
		HostsAddr:         e.String("COHABIT_HOSTS_GRPC_ADDR", "localhost:9102"),
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	return boot.Run(ctx, boot.Service{
		Name:       "students",
		Stream:     consume.Stream(studentsevents.Stream),
		Migrate:    postgres.Migrate,
		Policy:     export.With(grpcapi.Policy),
		Programmes: true,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			a := app.New(postgres.New(d.Pool), cfg.Now).WithRooms(rooms.New(d.Connect("hosts", cfg.HostsAddr)))
			srv := grpcapi.New(a)
			studentsv1.RegisterStudentServiceServer(d.Server, srv)
			export.Register(d.Server, "students", srv.Export)
			// The other kind's erasures: nothing of theirs is kept here, but the id is
			// remembered like everywhere (erasure.Consumers).
			consumers := append(eventsub.Consumers(d.Pool, a, d.Log), erasure.Consumers(d.Pool, "students", d.Log, erasure.Nothing)...)
			return boot.Parts{Consumers: consumers, Jobs: periodic.Funcs(d.Log, jobs.Of(a, cfg.RetentionInterval)...)}, nil
		},
	}, cfg.Config, log.With("service", "students"))
}

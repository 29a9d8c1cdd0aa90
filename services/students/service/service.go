// Package service assembles the students service: configuration, database, migrations, event
// relay and consumers (programme settings; the match and contract chain, see eventsub), and
// the gRPC server. Run is exported so that one test process can boot every service.
package service

import (
	"context"
	"crypto/ed25519"
	"log/slog"
	"net"
	"time"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/students/internal/app"
	"github.com/cohabit/cohabit/services/students/internal/eventsub"
	"github.com/cohabit/cohabit/services/students/internal/grpcapi"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
)

// Config is everything the students service reads at start.
type Config struct {
	GRPCAddr    string
	DatabaseURL string
	NATSURL     string
	// TokenKey verifies bearer tokens; read from TokenKeyFile when nil.
	TokenKey     ed25519.PublicKey
	TokenKeyFile string
	// Service is the service key material (auth.ServiceKeys): read by other services, read them.
	Service    auth.ServiceKeys
	MaxDBConns int
	// Streams are the deployment's stream settings (natsx.LoadStreamSettings).
	Streams natsx.StreamSettings
	// Now is the clock; tests move it.
	Now func() time.Time
	// RetentionInterval is how often students past their programme's retention period are
	// erased (COHABIT_STUDENTS_RETENTION_INTERVAL, daily); negative: never (tests).
	RetentionInterval time.Duration
	// Ready is called once the gRPC server listens (tests bind to port 0).
	Ready func(addr net.Addr)
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		GRPCAddr:          e.String("COHABIT_STUDENTS_GRPC_ADDR", "localhost:9103"),
		DatabaseURL:       e.String("COHABIT_STUDENTS_DATABASE_URL", "postgres://postgres@127.0.0.1:15432/cohabit_students?sslmode=disable"),
		NATSURL:           e.String("COHABIT_NATS_URL", "nats://127.0.0.1:4333"),
		TokenKeyFile:      e.String("COHABIT_TOKEN_PUBLIC_KEY_FILE", ".data/keys/token.pub"),
		Service:           boot.LoadServiceKeys(e),
		Streams:           natsx.LoadStreamSettings(e),
		MaxDBConns:        e.Int("COHABIT_STUDENTS_DB_MAX_CONNS", 10),
		RetentionInterval: e.Duration("COHABIT_STUDENTS_RETENTION_INTERVAL", 24*time.Hour),
	}
	return c, e.Err()
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	return boot.Run(ctx, boot.Service{
		Name:       "students",
		Stream:     natsx.Stream{Name: "STUDENTS", Subjects: []string{"cohabit.students.>"}},
		Migrate:    postgres.Migrate,
		Policy:     export.With(grpcapi.Policy),
		Programmes: true,
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			a := app.New(postgres.New(d.Pool), cfg.Now)
			srv := grpcapi.New(a)
			studentsv1.RegisterStudentServiceServer(d.Server, srv)
			export.Register(d.Server, "students", srv.Export)
			// The other kind's erasures: nothing of theirs is kept here, but the id is
			// remembered like everywhere (erasure.Consumers).
			consumers := append(eventsub.Consumers(a, d.Log), erasure.Consumers(d.Pool, "students", d.Log, erasure.Nothing)...)
			parts := boot.Parts{Consumers: consumers}
			if iv := cfg.RetentionInterval; iv >= 0 {
				if iv == 0 {
					iv = 24 * time.Hour
				}
				parts.Jobs = append(parts.Jobs, func(ctx context.Context) error {
					return erasure.RunRetention(ctx, iv, "students", a.EraseInactive, d.Log)
				})
			}
			return parts, nil
		},
	}, boot.Config{
		GRPCAddr: cfg.GRPCAddr, DatabaseURL: cfg.DatabaseURL, NATSURL: cfg.NATSURL,
		TokenKey: cfg.TokenKey, TokenKeyFile: cfg.TokenKeyFile, Service: cfg.Service, MaxDBConns: cfg.MaxDBConns, Streams: cfg.Streams,
		Ready: cfg.Ready,
	}, log.With("service", "students"))
}

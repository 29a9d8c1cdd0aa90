package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/identity/internal/auditlog"
	"github.com/cohabit/cohabit/services/identity/internal/eventsub"
	"github.com/cohabit/cohabit/services/identity/internal/grpcapi"
	"github.com/cohabit/cohabit/services/identity/internal/jobs"
	"github.com/cohabit/cohabit/services/identity/internal/password"
	"github.com/cohabit/cohabit/services/identity/internal/personaldata"
	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/identity/internal/records"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Name is the service's name on NATS and in the relay's lock.
const Name = "identity"

// StreamName is the stream it owns (the event catalogue's).
var StreamName = identityevents.Stream.Name

// Run serves the identity service until ctx ends: it migrates the database, declares the
// IDENTITY stream, creates the bootstrap admin and the demo data when configured, then runs the
// gRPC server, the outbox relay and the event consumers together; the first to fail stops all.
// Its tokens are verified here, as everywhere, with the public half of the key that signs them.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if err := cfg.validate(); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if len(cfg.SigningKey) != ed25519.PrivateKeySize {
		return errors.New("identity: no token key: set " + EnvTokenPrivateKeyFile + " or Config.SigningKey")
	}
	pub, ok := cfg.SigningKey.Public().(ed25519.PublicKey)
	if !ok {
		return errors.New("identity: token key has no Ed25519 public half")
	}
	// Tokens are verified here, as everywhere, with the public half of the key that signs them.
	cfg.TokenKey = pub
	hasher, err := password.New(cfg.argon2())
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}

	return boot.Run(ctx, boot.Service{
		Name:    Name,
		Stream:  consume.Stream(identityevents.Stream),
		Migrate: postgres.Migrate,
		Policy:  export.With(withAudit(grpcapi.Policy)),
		// No programmes consumer: identity owns the programmes it would copy.
		Build: func(ctx context.Context, d boot.Deps) (boot.Parts, error) {
			reader, closeReader := recordReader(cfg, d)
			a, err := app.New(app.Deps{
				Store:   postgres.New(d.Pool),
				Hasher:  hasher,
				Tokens:  auth.NewIssuer(cfg.SigningKey, cfg.TokenTTL),
				Now:     cfg.Now,
				Log:     d.Log,
				Records: reader,
			})
			if err != nil {
				return boot.Parts{}, err
			}
			if cfg.BootstrapAdminEmail != "" {
				if err := a.EnsureAccount(ctx, app.NewAccount{
					Email: cfg.BootstrapAdminEmail, Password: cfg.BootstrapAdminPassword, Role: auth.RoleAdmin,
				}); err != nil {
					return boot.Parts{}, fmt.Errorf("bootstrap admin: %w", err)
				}
			}
			if cfg.DevSeed {
				if err := a.SeedDemo(ctx); err != nil {
					return boot.Parts{}, err
				}
				d.Log.WarnContext(ctx, "demo programme and accounts ensured: development only, their passwords are public")
			}
			grpcapi.New(a).Register(d.Server)
			trail := auditlog.New(d.Pool)
			identityv1.RegisterAuditServiceServer(d.Server, auditlog.NewServer(trail))
			export.Register(d.Server, Name, personaldata.New(d.Pool, trail).Export)
			return boot.Parts{
				Consumers: slices.Concat(eventsub.Consumers(d.Pool, a, d.Log), erasure.Consumers(d.Pool, Name, d.Log, a.ErasePerson),
					trail.Consumers(d.Log)),
				Jobs: append(periodic.Funcs(d.Log, jobs.Of(a, trail, postgres.New(d.Pool))...),
					// Not a periodic job: the record reader's connections close with the service.
					func(ctx context.Context) error { <-ctx.Done(); closeReader(); return nil }),
			}, nil
		},
	}, cfg.Config, log)
}

// recordReader connects, as a service, to the hosts and students services when Config names
// them and the service's private key is at hand; otherwise invitations rely on the copy of the
// records alone (nil Records). The connections are lazy: nothing waits for those services.
func recordReader(cfg Config, d boot.Deps) (app.Records, func()) {
	nothing := func() {}
	if cfg.HostsAddr == "" || cfg.StudentsAddr == "" {
		return nil, nothing
	}
	hostsConn, err := d.Dial(cfg.HostsAddr)
	if err != nil {
		d.Log.Warn("invitations: records unknown to identity's copy will not be read from their service", "err", err)
		return nil, nothing
	}
	studentsConn, err := d.Dial(cfg.StudentsAddr)
	if err != nil {
		_ = hostsConn.Close()
		d.Log.Warn("invitations: records unknown to identity's copy will not be read from their service", "err", err)
		return nil, nothing
	}
	return records.New(hostsConn, studentsConn), func() { _ = hostsConn.Close(); _ = studentsConn.Close() }
}

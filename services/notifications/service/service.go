// Package service assembles the notifications service: configuration, database, migrations,
// the consumers of every service's events, the dispatcher (email over SMTP, SMS through the
// programmes' providers, retries, reminders) and the gRPC server. Run is exported so that one
// process can boot every service (services/stack) and tests can boot it with their own
// contact reader and SMTP server.
package service

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"time"

	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/app"
	"github.com/cohabit/cohabit/services/notifications/internal/contact"
	"github.com/cohabit/cohabit/services/notifications/internal/email"
	"github.com/cohabit/cohabit/services/notifications/internal/eventsub"
	"github.com/cohabit/cohabit/services/notifications/internal/grpcapi"
	"github.com/cohabit/cohabit/services/notifications/internal/message"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/notifications/internal/sms"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// Stream is the notifications service's own stream: it announces the lines of the call list
// (cohabit.notifications.call.requested), which the desk's agenda shows.
var Stream = natsx.Stream{Name: "NOTIFICATIONS", Subjects: []string{"cohabit.notifications.>"}}

// Config is everything the notifications service reads at start.
type Config struct {
	GRPCAddr    string
	DatabaseURL string
	NATSURL     string
	// TokenKey verifies bearer tokens; read from TokenKeyFile when nil.
	TokenKey     ed25519.PublicKey
	TokenKeyFile string
	// Service is the service key material: its private half signs the service tokens this
	// service reads hosts, students and identity with.
	Service    auth.ServiceKeys
	MaxDBConns int
	// Streams are the deployment's stream settings (natsx.LoadStreamSettings).
	Streams natsx.StreamSettings
	// HostsAddr, StudentsAddr and IdentityAddr are the services contact details and
	// invitation codes are read from.
	HostsAddr    string
	StudentsAddr string
	IdentityAddr string
	// AddrOf, when set, gives the address a service ("hosts", "students", "identity") bound,
	// which wins over the configured one (the all-in-one process binds free ports).
	AddrOf func(service string) string
	// SMTPURL is the mail server: smtp://user:password@host:port (required).
	SMTPURL  string
	MailFrom string
	// SMSProviders is COHABIT_NOTIFICATIONS_SMS_PROVIDERS (programme=dev,…); SMSDir is where
	// the dev provider writes.
	SMSProviders string
	SMSDir       string
	// PublicURL is where the web application is, for the links in messages.
	PublicURL string
	// DispatchInterval is how often due notifications and reminders are looked for besides
	// the wake-up after each event; a negative value turns the dispatcher off (tests run it).
	DispatchInterval time.Duration
	// RetryBase is the delay after a first failed attempt, doubling after each.
	RetryBase time.Duration
	// Contacts and Invitations replace the gRPC readers (tests).
	Contacts    contact.Reader
	Invitations app.Invitations
	// Now is the clock; tests move it.
	Now func() time.Time
	// Ready is called once the gRPC server listens (tests bind to port 0).
	Ready func(addr net.Addr)
	// Started, if set, receives the use cases once built (tests and benchmarks drive the
	// dispatcher with them).
	Started func(*app.App)
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		GRPCAddr:         e.String("COHABIT_NOTIFICATIONS_GRPC_ADDR", "localhost:9106"),
		DatabaseURL:      e.String("COHABIT_NOTIFICATIONS_DATABASE_URL", "postgres://postgres@127.0.0.1:15432/cohabit_notifications?sslmode=disable"),
		NATSURL:          e.String("COHABIT_NATS_URL", "nats://127.0.0.1:4333"),
		TokenKeyFile:     e.String("COHABIT_TOKEN_PUBLIC_KEY_FILE", ".data/keys/token.pub"),
		Service:          boot.LoadServiceKeys(e),
		Streams:          natsx.LoadStreamSettings(e),
		MaxDBConns:       e.Int("COHABIT_NOTIFICATIONS_DB_MAX_CONNS", 10),
		HostsAddr:        e.String("COHABIT_HOSTS_GRPC_ADDR", "localhost:9102"),
		StudentsAddr:     e.String("COHABIT_STUDENTS_GRPC_ADDR", "localhost:9103"),
		IdentityAddr:     e.String("COHABIT_IDENTITY_GRPC_ADDR", "localhost:9101"),
		SMTPURL:          e.String("COHABIT_SMTP_URL", ""),
		MailFrom:         e.String("COHABIT_MAIL_FROM", "no-reply@cohabit.localhost"),
		SMSProviders:     e.String("COHABIT_NOTIFICATIONS_SMS_PROVIDERS", ""),
		SMSDir:           e.String("COHABIT_NOTIFICATIONS_SMS_DIR", filepath.Join(".data", "sms")),
		PublicURL:        e.String("COHABIT_PUBLIC_URL", "http://localhost:8080"),
		DispatchInterval: e.Duration("COHABIT_NOTIFICATIONS_DISPATCH_INTERVAL", 2*time.Second),
		RetryBase:        e.Duration("COHABIT_NOTIFICATIONS_RETRY_BASE", 30*time.Second),
	}
	e.Require("COHABIT_SMTP_URL", c.SMTPURL)
	errs := []error{e.Err()}
	if _, err := sms.Parse(c.SMSProviders, c.SMSDir); err != nil {
		errs = append(errs, err)
	}
	if c.SMTPURL != "" {
		if _, err := email.Parse(c.SMTPURL, c.MailFrom, "Cohabit"); err != nil {
			errs = append(errs, err)
		}
	}
	return c, errors.Join(errs...)
}

// Run serves until ctx is done.
func Run(ctx context.Context, cfg Config, log *slog.Logger) error {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.DispatchInterval == 0 {
		cfg.DispatchInterval = 2 * time.Second
	}
	log = log.With("service", "notifications")
	mail, err := email.Parse(cfg.SMTPURL, cfg.MailFrom, "Cohabit")
	if err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	providers, err := sms.Parse(cfg.SMSProviders, cfg.SMSDir)
	if err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	tpl, err := message.Load()
	if err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	return boot.Run(ctx, boot.Service{
		Name:       "notifications",
		Stream:     Stream,
		Migrate:    postgres.Migrate,
		Policy:     export.With(grpcapi.Policy),
		Programmes: true,
		Build: func(ctx context.Context, d boot.Deps) (boot.Parts, error) {
			contacts, invitations := cfg.Contacts, cfg.Invitations
			if contacts == nil {
				contacts = contact.NewGRPC(d.Connect("hosts", cfg.HostsAddr), d.Connect("students", cfg.StudentsAddr))
			}
			if invitations == nil {
				invitations = contact.NewInvitations(d.Connect("identity", cfg.IdentityAddr))
			}
			a := app.New(app.App{
				Store: postgres.New(d.Pool), Contacts: contacts, Invitations: invitations, Templates: tpl, Mail: mail,
				SMS: providers, Now: cfg.Now, PublicURL: cfg.PublicURL, RetryBase: cfg.RetryBase, Log: d.Log,
			})
			notificationsv1.RegisterNotificationServiceServer(d.Server, grpcapi.New(a))
			export.Register(d.Server, "notifications", grpcapi.Exporter(postgres.New(d.Pool)))
			parts := boot.Parts{Consumers: eventsub.Consumers(a, d.Log)}
			parts.Consumers = append(parts.Consumers, erasure.Consumers(d.Pool, "notifications", d.Log, postgres.ErasePerson)...)
			if cfg.DispatchInterval > 0 {
				parts.Jobs = append(parts.Jobs, func(ctx context.Context) error { return a.RunDispatcher(ctx, cfg.DispatchInterval) })
			}
			if cfg.Started != nil {
				cfg.Started(a)
			}
			return parts, nil
		},
	}, boot.Config{
		GRPCAddr: cfg.GRPCAddr, DatabaseURL: cfg.DatabaseURL, NATSURL: cfg.NATSURL,
		TokenKey: cfg.TokenKey, TokenKeyFile: cfg.TokenKeyFile, Service: cfg.Service, MaxDBConns: cfg.MaxDBConns, Streams: cfg.Streams,
		Ready: cfg.Ready, AddrOf: cfg.AddrOf,
	}, log)
}

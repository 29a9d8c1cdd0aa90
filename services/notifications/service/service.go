// Package service assembles the notifications service: configuration, database, migrations,
// the consumers of every service's events, the dispatcher (email over SMTP, SMS through the
// programmes' providers, retries, reminders) and the gRPC server. Run is exported so that one
// process can boot every service (services/stack) and tests can boot it with their own
// contact reader and SMTP server.
package service

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/app"
	"github.com/cohabit/cohabit/services/notifications/internal/contact"
	"github.com/cohabit/cohabit/services/notifications/internal/email"
	"github.com/cohabit/cohabit/services/notifications/internal/eventsub"
	"github.com/cohabit/cohabit/services/notifications/internal/grpcapi"
	"github.com/cohabit/cohabit/services/notifications/internal/jobs"
	"github.com/cohabit/cohabit/services/notifications/internal/message"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/notifications/internal/sms"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/export"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Stream is the notifications service's own stream: it announces the lines of the call list
// (cohabit.notifications.call.requested), which the desk's agenda shows.
var Stream = consume.Stream(notificationsevents.Stream)

// Config is everything the notifications service reads at start.
type Config struct {
	boot.Config
	// HostsAddr, StudentsAddr and IdentityAddr are the services contact details and
	// invitation codes are read from.
	HostsAddr    string
	StudentsAddr string
	IdentityAddr string
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
	// Started, if set, receives the use cases once built (tests and benchmarks drive the
	// dispatcher with them).
	Started func(*app.App)
}

// LoadConfig reads the environment, with defaults for a local `make run`.
func LoadConfig(getenv func(string) string) (Config, error) {
	e := config.New(getenv)
	c := Config{
		Config:           boot.LoadConfig(e, "notifications", "localhost:9106"),
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
				contacts = contact.NewGRPC(d.Connect("hosts", cfg.HostsAddr), d.Connect("students", cfg.StudentsAddr)).
					WithAccounts(d.Connect("identity", cfg.IdentityAddr))
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
			parts := boot.Parts{Consumers: eventsub.Consumers(d.Pool, a, d.Log)}
			parts.Consumers = append(parts.Consumers, erasure.Consumers(d.Pool, "notifications", d.Log, a.ErasePerson)...)
			parts.Jobs = periodic.Funcs(d.Log, jobs.Of(a, cfg.DispatchInterval)...)
			if cfg.Started != nil {
				cfg.Started(a)
			}
			return parts, nil
		},
	}, cfg.Config, log)
}

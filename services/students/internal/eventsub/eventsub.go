// Package eventsub keeps the students service's copies of other services' facts: for now the
// settings of programmes, which decide the students' maximum age and the applications' budget cap.
package eventsub

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
)

// consumer names this service in inboxes and durable consumer names.
const consumer = "students"

// Programmes consumes the identity service's programme events.
func Programmes(pool *pgxpool.Pool, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{
		Stream:   "IDENTITY",
		Durable:  consumer + "-identity",
		Subjects: []string{"cohabit.identity.programme.>"},
		Log:      log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			var p *identityv1.Programme
			switch e.GetType() {
			case "cohabit.identity.programme.created":
				m, err := event.Payload(e, &identityeventsv1.ProgrammeCreated{})
				if err != nil {
					return fmt.Errorf("%w: %w", natsx.ErrPermanent, err)
				}
				p = m.GetProgramme()
			case "cohabit.identity.programme.updated":
				m, err := event.Payload(e, &identityeventsv1.ProgrammeUpdated{})
				if err != nil {
					return fmt.Errorf("%w: %w", natsx.ErrPermanent, err)
				}
				p = m.GetProgramme()
			default:
				return nil
			}
			return inbox.Handle(ctx, pool, consumer, e.GetId(), func(tx pgx.Tx) error {
				return postgres.SaveProgramme(ctx, tx, p.GetId(), p.GetSettings(), e.GetOccurredAt().AsTime())
			})
		},
	}
}

// Run starts every consumer and returns when ctx is done.
func Run(ctx context.Context, js jetstream.JetStream, consumers ...*natsx.Consumer) error {
	errc := make(chan error, len(consumers))
	for _, c := range consumers {
		go func() { errc <- c.Run(ctx, js) }()
	}
	var first error
	for range consumers {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

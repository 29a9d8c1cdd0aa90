package eventsub

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	deskeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// DurableDesk is matching's consumer of the desk's documents (the approval gate's copy).
const DurableDesk = Consumer + "-desk"

// DocumentsConsumer keeps matching's copy of the desk's documents: every fact
// (cohabit.desk.document.requested, received, verified, rejected, expired) carries the whole
// state, and an older one arriving late changes nothing.
func DocumentsConsumer(db pg.Beginner, a *app.App, log *slog.Logger) *natsx.Consumer {
	return consume.Group{Durable: DurableDesk, DB: db, Handlers: consume.OnEach([]eventcat.Event[*deskeventsv1.DocumentChanged]{
		deskevents.DocumentRequested, deskevents.DocumentReceived, deskevents.DocumentVerified, deskevents.DocumentRejected, deskevents.DocumentExpired,
	}, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *deskeventsv1.DocumentChanged) error {
		if err := consume.IDs(p.GetDocumentId(), p.GetOwnerId()); err != nil {
			return err
		}
		d := postgres.PartyDocument{
			ID: p.GetDocumentId(), ProgrammeID: p.GetProgrammeId(), OwnerID: p.GetOwnerId(),
			Kind: strings.TrimPrefix(p.GetKind().String(), "DOCUMENT_KIND_"), Status: p.GetStatus(), ExpiryDate: p.GetExpiryDate(),
		}
		return a.DocumentChanged(ctx, tx, d, m.OccurredAt)
	})}.Consumer(log)
}

// DocumentSync waits until the documents consumer has handled every event of the desk's
// stream (nothing pending, nothing awaiting its ack). Without a desk stream or consumer yet,
// there is nothing to wait for.
func DocumentSync(js jetstream.JetStream) app.DocumentSync {
	return func(ctx context.Context) error {
		for {
			c, err := js.Consumer(ctx, deskevents.Stream.Name, DurableDesk)
			if errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrConsumerNotFound) {
				return nil
			}
			if err == nil {
				info, ierr := c.Info(ctx)
				if ierr == nil && info.NumPending == 0 && info.NumAckPending == 0 {
					return nil
				}
				err = ierr
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(25 * time.Millisecond):
			}
		}
	}
}

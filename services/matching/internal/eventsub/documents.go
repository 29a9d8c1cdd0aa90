package eventsub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	deskeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// The desk's stream and matching's consumer of its documents (the approval gate's copy).
const (
	DeskStream      = "DESK"
	DurableDesk     = Consumer + "-desk"
	documentSubject = "cohabit.desk.document.>"
)

// DocumentsConsumer keeps matching's copy of the desk's documents: every fact
// (cohabit.desk.document.requested, received, verified, rejected, expired) carries the whole
// state, and an older one arriving late changes nothing.
func DocumentsConsumer(a *app.App, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{Stream: DeskStream, Durable: DurableDesk, Subjects: []string{documentSubject}, Log: log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			p, err := event.Payload(e, &deskeventsv1.DocumentChanged{})
			if err != nil {
				return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
			}
			if !ids.Valid(p.GetDocumentId()) || !ids.Valid(p.GetOwnerId()) {
				return fmt.Errorf("%w: %s %s: ids %q %q", natsx.ErrPermanent, e.GetType(), e.GetId(), p.GetDocumentId(), p.GetOwnerId())
			}
			d := postgres.PartyDocument{
				ID: p.GetDocumentId(), ProgrammeID: p.GetProgrammeId(), OwnerID: p.GetOwnerId(),
				Kind: strings.TrimPrefix(p.GetKind().String(), "DOCUMENT_KIND_"), Status: p.GetStatus(), ExpiryDate: p.GetExpiryDate(),
			}
			return a.DocumentChanged(ctx, DurableDesk, e.GetId(), d, e.GetOccurredAt().AsTime())
		}}
}

// DocumentSync waits until the documents consumer has handled every event of the desk's
// stream (nothing pending, nothing awaiting its ack). Without a desk stream or consumer yet,
// there is nothing to wait for.
func DocumentSync(js jetstream.JetStream) app.DocumentSync {
	return func(ctx context.Context) error {
		for {
			c, err := js.Consumer(ctx, DeskStream, DurableDesk)
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

package erasure

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/outbox"
)

// Record is a person's record in the service that owns it and erases it (a host, a student).
type Record interface {
	ID() string
	OwnerAccountID() string
	ProgrammeID() string
}

// EventsOf returns the events of the erasure of r, a person of kind, at at: its one erasure
// event, as the owning service's store appends them (Finish).
func EventsOf(kind Kind, r Record, at time.Time) ([]*eventsv1.Envelope, error) {
	ev, err := Event(Person{ID: r.ID(), Kind: kind, AccountID: r.OwnerAccountID(), ProgrammeID: r.ProgrammeID()}, at)
	if err != nil {
		return nil, err
	}
	return []*eventsv1.Envelope{ev}, nil
}

// Finish ends the owning service's erasure of p in tx, once it deleted her records: it
// remembers her id as erased (Remember), forgets the published events that named her
// (ForgetPublished), and appends events, the erasure's, to the outbox.
func Finish(ctx context.Context, tx pgx.Tx, p Person, events ...*eventsv1.Envelope) error {
	if _, err := Remember(ctx, tx, p); err != nil {
		return err
	}
	if err := ForgetPublished(ctx, tx, p.ID); err != nil {
		return err
	}
	return outbox.Append(ctx, tx, events...)
}

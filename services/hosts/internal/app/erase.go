package app

import (
	"context"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

// EraseHost erases a host for a coordinator of her programme, and publishes the erasure every
// other service acts on (ids only; the reason is not kept: it is free text about her).
//
// The check lives here, in the service that owns the record, on state the events of the chain
// keep: a room RESERVED (its match approved) or OCCUPIED (its contract active) is exactly
// "a match approved or a stay under way", and the same transaction that checks it, under a
// share lock on her rooms, deletes her; no call to matching or contracts is needed, and none
// could hold its answer true until the commit. Errors: NotFound (also out of reach),
// FailedPrecondition (STAY_AGREED_OR_UNDER_WAY).
func (a *App) EraseHost(ctx context.Context, id string) error {
	p, err := auth.Required(ctx)
	if err != nil {
		return err
	}
	return a.store.EraseHost(ctx, id, func(h *host.Host, stays int) ([]*eventsv1.Envelope, error) {
		if !p.CoordinatesProgramme(h.ProgrammeID()) {
			return nil, postgres.ErrHostNotFound
		}
		if stays > 0 {
			return nil, erasure.ErrBlocked
		}
		return erasure.EventsOf(erasure.Host, h, a.now())
	})
}

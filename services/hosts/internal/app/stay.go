package app

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
)

// Fact is one event of a match's chain (SPEC §4) as the hosts service acts on it: which
// match, which room. Each use case of the chain runs on an App bound to the event's inbox
// transaction (Within), and refuses to run outside one.
type Fact struct {
	MatchID string
	RoomID  string
}

// ReserveRoom applies a match's approval: the room becomes RESERVED (room.reserved). Errors:
// room.ErrNotYet (held by another match whose release has not arrived: retry), FailedPrecondition
// (the room can never be reserved), NotFound, the database's.
func (a *App) ReserveRoom(ctx context.Context, f Fact) error {
	return a.applyHold(ctx, f, hostsevents.RoomReserved.Subject, (*room.Room).ReserveFor)
}

// OccupyRoom applies the activation of the match's contract: the room becomes OCCUPIED
// (room.occupied). Errors: as ReserveRoom; room.ErrNotYet when the approval has not been
// applied.
func (a *App) OccupyRoom(ctx context.Context, f Fact) error {
	return a.applyHold(ctx, f, hostsevents.RoomOccupied.Subject, (*room.Room).OccupyFor)
}

// EndStay applies the end or termination of the match's contract: the room is PUBLISHED again
// and back in the pool (room.released). Errors: as OccupyRoom.
func (a *App) EndStay(ctx context.Context, f Fact) error {
	return a.applyHold(ctx, f, hostsevents.RoomReleased.Subject, (*room.Room).EndStayFor)
}

// CancelReservation applies the cancellation before the stay of the match or its contract:
// the room is PUBLISHED again (room.released). A reservation already released is left alone.
// Errors: as OccupyRoom; FailedPrecondition when the stay has begun.
func (a *App) CancelReservation(ctx context.Context, f Fact) error {
	return a.applyHold(ctx, f, hostsevents.RoomReleased.Subject, (*room.Room).CancelFor)
}

// CancelStay applies the cancellation of the match's contract, only ever before its start
// date: the room, RESERVED, or OCCUPIED when the contract was active, is PUBLISHED again
// (room.released) and back in the pool. Errors: as CancelReservation.
func (a *App) CancelStay(ctx context.Context, f Fact) error {
	return a.applyHold(ctx, f, hostsevents.RoomReleased.Subject, (*room.Room).CancelStayFor)
}

func (a *App) applyHold(ctx context.Context, f Fact, subject string, move func(*room.Room, room.Hold, time.Time) (room.Hold, bool, error)) error {
	return a.store.ApplyHold(ctx, f.RoomID, f.MatchID,
		func(r *room.Room, h *host.Host, hold room.Hold) (room.Hold, bool, []*eventsv1.Envelope, error) {
			now := a.now()
			next, changed, err := move(r, hold, now)
			if err != nil || !changed {
				return next, changed, nil, err
			}
			ev, err := roomEvent(subject, r, h, now)
			if err != nil {
				return hold, false, nil, err
			}
			return next, true, []*eventsv1.Envelope{ev}, nil
		})
}

package app

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
)

// The use cases of a match's chain (SPEC §4) act on one event: which match, which room. Each
// runs on an App bound to the event's inbox transaction (Within), and refuses to run outside
// one.

// ReserveRoom applies a match's approval: the room becomes RESERVED (room.reserved). Errors:
// room.ErrNotYet (held by another match whose release has not arrived: retry), FailedPrecondition
// (the room can never be reserved), NotFound, the database's.
func (a *App) ReserveRoom(ctx context.Context, matchID, roomID string) error {
	return a.applyHold(ctx, matchID, roomID, hostsevents.RoomReserved.Subject, (*room.Room).ReserveFor)
}

// OccupyRoom applies the activation of the match's contract: the room becomes OCCUPIED
// (room.occupied). Errors: as ReserveRoom; room.ErrNotYet when the approval has not been
// applied.
func (a *App) OccupyRoom(ctx context.Context, matchID, roomID string) error {
	return a.applyHold(ctx, matchID, roomID, hostsevents.RoomOccupied.Subject, (*room.Room).OccupyFor)
}

// EndStay applies the end or termination of the match's contract: the room is PUBLISHED again
// and back in the pool (room.released). Errors: as OccupyRoom.
func (a *App) EndStay(ctx context.Context, matchID, roomID string) error {
	return a.applyHold(ctx, matchID, roomID, hostsevents.RoomReleased.Subject, (*room.Room).EndStayFor)
}

// CancelReservation applies the cancellation before the stay of the match or its contract:
// the room is PUBLISHED again (room.released). A reservation already released is left alone.
// Errors: as OccupyRoom; FailedPrecondition when the stay has begun.
func (a *App) CancelReservation(ctx context.Context, matchID, roomID string) error {
	return a.applyHold(ctx, matchID, roomID, hostsevents.RoomReleased.Subject, (*room.Room).CancelFor)
}

// CancelStay applies the cancellation of the match's contract, only ever before its start
// date: the room, RESERVED, or OCCUPIED when the contract was active, is PUBLISHED again
// (room.released) and back in the pool. Errors: as CancelReservation.
func (a *App) CancelStay(ctx context.Context, matchID, roomID string) error {
	return a.applyHold(ctx, matchID, roomID, hostsevents.RoomReleased.Subject, (*room.Room).CancelStayFor)
}

func (a *App) applyHold(ctx context.Context, matchID, roomID string, subject string, move func(*room.Room, room.Hold, time.Time) (room.Hold, bool, error)) error {
	return a.store.ApplyHold(ctx, roomID, matchID,
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

package room

import (
	"errors"
	"time"
)

// Hold is where one approved match's claim on a room stands, as far as the hosts service has
// applied the chain of SPEC §4: the match approved (RESERVED), its contract active (OCCUPIED),
// the stay ended or the match cancelled before it (RELEASED). Keeping it per match, not only
// on the room, is what makes the chain's events safe to apply in any order and more than
// once: a late event of a match whose hold is already RELEASED changes nothing, even when
// the room is by then reserved for another match.
type Hold string

// The holds of a match on a room.
const (
	// HoldNone: no event of this match has been applied to the room yet.
	HoldNone     Hold = ""
	HoldReserved Hold = "RESERVED"
	HoldOccupied Hold = "OCCUPIED"
	HoldReleased Hold = "RELEASED"
)

// ErrNotYet says that an event needs an earlier fact of its match that has not been applied
// yet (events of different streams arrive in any order): it must be retried later, never
// dropped. It is not an errs.Error: no client ever sees it.
var ErrNotYet = errors.New("the room is not ready for this event yet")

// ErrImpossible refuses an event that no retry can make applicable (the room is withdrawn,
// or the match's hold has gone past the state the event needs).
var ErrImpossible = ErrTransition

// neverHeld reports whether a room in this status can never have held a match: a draft
// room was never in the pool, a withdrawn one never comes back.
func (r *Room) neverHeld() bool {
	return r.r.Status == StatusDraft || r.r.Status == StatusWithdrawn
}

// notHeld is the answer to an event of a match whose approval has not been applied: wait
// for it, unless the room can never hold a match.
func (r *Room) notHeld(what string) error {
	if r.neverHeld() {
		return ErrImpossible.WithMessage("cannot %s: the room is %s and was never reserved for this match", what, r.r.Status)
	}
	return ErrNotYet
}

// ReserveFor applies a match's approval: a PUBLISHED room becomes RESERVED for it. It returns
// the match's new hold and whether the room changed (false: the approval was applied before,
// nothing to do). Errors: ErrNotYet (the room is still held by another match whose release
// has not arrived), ErrImpossible (a draft or withdrawn room).
func (r *Room) ReserveFor(h Hold, at time.Time) (Hold, bool, error) {
	if h != HoldNone {
		return h, false, nil
	}
	switch r.r.Status {
	case StatusPublished:
		return HoldReserved, true, r.Reserve(at)
	case StatusReserved, StatusOccupied:
		return h, false, ErrNotYet
	}
	return h, false, ErrImpossible.WithMessage("cannot reserve a %s room for an approved match", r.r.Status)
}

// OccupyFor applies the activation of the match's contract: the RESERVED room becomes
// OCCUPIED. Errors: ErrNotYet (the approval has not been applied), ErrImpossible (the hold
// was released: the match was cancelled before the stay).
func (r *Room) OccupyFor(h Hold, at time.Time) (Hold, bool, error) {
	switch h {
	case HoldNone:
		return h, false, r.notHeld("occupy the room")
	case HoldReserved:
		return HoldOccupied, true, r.Occupy(at)
	case HoldOccupied:
		return h, false, nil
	}
	return h, false, ErrImpossible.WithMessage("cannot occupy the room: this match's reservation was already released (cancelled before the stay)")
}

// EndStayFor applies the end (or termination) of the match's contract: the OCCUPIED room
// goes back to PUBLISHED. Errors: ErrNotYet (the approval or the activation has not been
// applied).
func (r *Room) EndStayFor(h Hold, at time.Time) (Hold, bool, error) {
	switch h {
	case HoldNone:
		return h, false, r.notHeld("end the stay")
	case HoldReserved:
		return h, false, ErrNotYet
	case HoldOccupied:
		return HoldReleased, true, r.Release(at)
	}
	return h, false, nil
}

// CancelStayFor applies the cancellation of the match's contract, which is only ever before
// the stay: a RESERVED room, or an OCCUPIED one whose pair withdrew before moving in (a
// contract cancelled after both signed, before its start date), goes back to PUBLISHED. The
// match's own cancellation (CancelFor) still cannot release an occupied room: only the
// contract knows its stay has not begun. Errors: as CancelFor, but never for an occupied room.
func (r *Room) CancelStayFor(h Hold, at time.Time) (Hold, bool, error) {
	if h == HoldOccupied {
		return HoldReleased, true, r.Release(at)
	}
	return r.CancelFor(h, at)
}

// CancelFor applies the cancellation of the match, or of its contract, before the stay: the
// RESERVED room goes back to PUBLISHED. A hold already released is left as it is: the
// contract's cancellation and the match's (which follows it) are one fact told twice.
// Errors: ErrNotYet (the approval has not been applied), ErrImpossible (the stay has begun).
func (r *Room) CancelFor(h Hold, at time.Time) (Hold, bool, error) {
	switch h {
	case HoldNone:
		return h, false, r.notHeld("cancel the reservation")
	case HoldReserved:
		return HoldReleased, true, r.Release(at)
	case HoldOccupied:
		return h, false, ErrImpossible.WithMessage("cannot cancel the reservation: the stay has begun (the room is occupied)")
	}
	return h, false, nil
}

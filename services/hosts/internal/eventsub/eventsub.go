// Package eventsub moves rooms along the chain of SPEC §4 from other services' events (hosts
// never calls them), through the consumers every side of a stay shares (platform/stay):
// "hosts-matching" (match approved: room reserved; match cancelled after approval: released),
// "hosts-contracts" (contract activated: occupied; ended or terminated: released; cancelled:
// released) and "hosts-invitations" (a host's invitation accepted: the account owns the host),
// each in the event's inbox transaction, which changes the room and writes its own event
// (room.reserved, .occupied, .released; host.updated) to the outbox.
//
// Handlers are state-based: each match's hold on its room (room.Hold) records how far the
// chain has gone, so that an event applied twice, or a second telling of one fact (a contract
// cancelled, then its match cancelled by matching), changes nothing.
//
// Retry or terminate, per event (the policy is platform/consume's):
//   - retried later when the room is not ready for it yet (room.ErrNotYet): the contract
//     activated before the match's approval was applied; a stay ended, or a reservation
//     cancelled, before the activation or approval was applied; an approval while the room is
//     still held by the previous match, whose release is on its way.
//   - terminated: a room hosts does not know, a draft or withdrawn room (it was never in the
//     pool, so it never held the match), a contract activated after its reservation was
//     cancelled, a cancellation "before the stay" of a room already occupied.
package eventsub

import (
	"log/slog"

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/app"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/stay"
)

// Consumers returns the hosts service's consumers of the MATCHING, CONTRACTS and IDENTITY
// streams.
func Consumers(db pg.Beginner, a *app.App, log *slog.Logger) []*natsx.Consumer {
	return stay.Party[*app.App]{
		Service:           "hosts",
		DB:                db,
		Within:            a.Within,
		OfMatch:           (*matchingeventsv1.MatchSummary).GetRoomId,
		OfContract:        (*contractseventsv1.ContractSummary).GetRoomId,
		Approved:          (*app.App).ReserveRoom,
		MatchCancelled:    (*app.App).CancelReservation,
		Activated:         (*app.App).OccupyRoom,
		Ended:             (*app.App).EndStay,
		ContractCancelled: (*app.App).CancelStay, // also from OCCUPIED: cancelled before its start date
		Kind:              identityv1.RecordKind_RECORD_KIND_HOST,
		Claim:             (*app.App).ClaimHost,
	}.Consumers(log)
}

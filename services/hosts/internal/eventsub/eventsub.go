// Package eventsub moves rooms along the chain of SPEC §4 from other services' events (hosts
// never calls them): durable consumers "hosts-matching" (match approved, match cancelled after
// approval) and "hosts-contracts" (contract activated, ended, terminated, cancelled), each
// event handled once through the inbox, in the transaction that changes the room and writes
// the room's own event (room.reserved, .occupied, .released) to the outbox.
//
// Handlers are state-based: each match's hold on its room (room.Hold) records how far the
// chain has gone, so that an event applied twice, or a second telling of one fact (a contract
// cancelled, then its match cancelled by matching), changes nothing.
//
// Retry or terminate, per event:
//   - retried later (nak with delay, never dropped) when the room is not ready for it yet
//     (room.ErrNotYet): the contract activated before the match's approval was applied; a stay
//     ended, or a reservation cancelled, before the activation or approval was applied; an
//     approval while the room is still held by the previous match, whose release is on its
//     way. Also every database or transient failure.
//   - terminated and logged when no retry can help: a payload that does not decode, ids that
//     are not UUIDs, a room hosts does not know, a draft or withdrawn room (it was never in
//     the pool, so it never held the match), a contract activated after its reservation was
//     cancelled, a cancellation "before the stay" of a room already occupied.
//   - acknowledged and ignored: events of these streams the rooms do not depend on (match
//     proposed, declined, completed…, a match cancelled before its approval, contract drafted,
//     signed…).
package eventsub

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"google.golang.org/grpc/codes"

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/app"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// The subjects the chain is made of.
const (
	SubjectMatchApproved     = "cohabit.matching.match.approved"
	SubjectMatchCancelled    = "cohabit.matching.match.cancelled"
	SubjectContractActivated = "cohabit.contracts.contract.activated"
	SubjectContractEnded     = "cohabit.contracts.contract.ended"
	SubjectContractTerminate = "cohabit.contracts.contract.terminated"
	SubjectContractCancelled = "cohabit.contracts.contract.cancelled"
)

// Durable names, which are also the inbox's consumer names.
const (
	DurableMatching  = "hosts-matching"
	DurableContracts = "hosts-contracts"
)

// Consumers returns the durable consumers of the MATCHING and CONTRACTS streams. The
// CONTRACTS stream is the contracts service's: natsx.Consumer waits until it exists.
func Consumers(a *app.App, log *slog.Logger) []*natsx.Consumer {
	return []*natsx.Consumer{
		{Stream: "MATCHING", Durable: DurableMatching, Subjects: []string{SubjectMatchApproved, SubjectMatchCancelled}, Log: log,
			Handle: func(ctx context.Context, e *eventsv1.Envelope) error { return handle(ctx, a, DurableMatching, e) }},
		{Stream: "CONTRACTS", Durable: DurableContracts, Log: log,
			Subjects: []string{SubjectContractActivated, SubjectContractEnded, SubjectContractTerminate, SubjectContractCancelled},
			Handle:   func(ctx context.Context, e *eventsv1.Envelope) error { return handle(ctx, a, DurableContracts, e) }},
		invitationsConsumer(a, log),
	}
}

// step is a use case that applies one fact.
type step func(*app.App, context.Context, app.Fact) error

func handle(ctx context.Context, a *app.App, consumer string, e *eventsv1.Envelope) error {
	do, f, err := factOf(e)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
	}
	if do == nil {
		return nil
	}
	f.Consumer, f.EventID = consumer, e.GetId()
	return classify(do(a, ctx, f))
}

// classify turns a use case's error into the consumer's decision: ErrNotYet and transient
// failures are retried (returned as they are); a refusal of the domain (FailedPrecondition,
// NotFound) is permanent.
func classify(err error) error {
	if err == nil || errors.Is(err, room.ErrNotYet) {
		return err
	}
	if e, ok := errs.As(err); ok && (e.Code == codes.FailedPrecondition || e.Code == codes.NotFound || e.Code == codes.InvalidArgument) {
		return fmt.Errorf("%w: %w", natsx.ErrPermanent, err)
	}
	return err
}

// factOf decodes e into the use case it calls for (nil: none) and its fact. Errors: the
// payload does not decode, or its ids are not UUIDs.
func factOf(e *eventsv1.Envelope) (step, app.Fact, error) {
	var f app.Fact
	var do step
	switch e.GetType() {
	case SubjectMatchApproved:
		m, err := event.Payload(e, &matchingeventsv1.MatchApproved{})
		if err != nil {
			return nil, f, err
		}
		f.MatchID, f.RoomID, do = m.GetMatch().GetMatchId(), m.GetMatch().GetRoomId(), (*app.App).ReserveRoom
	case SubjectMatchCancelled:
		m, err := event.Payload(e, &matchingeventsv1.MatchChanged{})
		if err != nil {
			return nil, f, err
		}
		if !m.GetWasApproved() {
			return nil, f, nil // never reserved the room
		}
		f.MatchID, f.RoomID, do = m.GetMatch().GetMatchId(), m.GetMatch().GetRoomId(), (*app.App).CancelReservation
	case SubjectContractActivated, SubjectContractEnded, SubjectContractTerminate, SubjectContractCancelled:
		m, err := event.Payload(e, &contractseventsv1.ContractChanged{})
		if err != nil {
			return nil, f, err
		}
		f.MatchID, f.RoomID = m.GetContract().GetMatchId(), m.GetContract().GetRoomId()
		switch e.GetType() {
		case SubjectContractActivated:
			do = (*app.App).OccupyRoom
		case SubjectContractCancelled:
			// Also from OCCUPIED: an active contract cancelled before its start date.
			do = (*app.App).CancelStay
		default:
			do = (*app.App).EndStay
		}
	default:
		return nil, f, nil
	}
	if !ids.Valid(f.MatchID) || !ids.Valid(f.RoomID) {
		return nil, f, fmt.Errorf("match id %q or room id %q is not a UUID", f.MatchID, f.RoomID)
	}
	return do, f, nil
}

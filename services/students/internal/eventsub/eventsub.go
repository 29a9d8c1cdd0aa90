// Package eventsub moves students and their applications along the chain of SPEC §4 from
// other services' events (students never calls them): durable consumers "students-matching"
// (match approved, match cancelled after approval) and "students-contracts" (contract
// activated, ended, terminated, cancelled), each event handled once through the inbox, in the
// transaction that changes the records and writes their own events (application.matched,
// .placed, .resubmitted; student.placed, .released) to the outbox.
//
// Handlers are state-based: how far each match's chain has been applied (placement.Status)
// is stored per match, so that an event applied twice, or a second telling of one fact (a
// contract cancelled, then its match cancelled by matching), changes nothing.
//
// Retry or terminate, per event:
//   - retried later (nak with delay, never dropped) when the records are not ready for it yet
//     (placement.ErrNotYet): the contract activated, ended or cancelled before the match's
//     approval (or the activation) was applied; an approval while the application is still
//     MATCHED by a previous match whose cancellation is on its way; an activation while the
//     student is still PLACED by a stay whose end is on its way. Also every database or
//     transient failure.
//   - terminated and logged when no retry can help: a payload that does not decode, ids that
//     are not UUIDs, an application students does not know, an approval of an application
//     that is withdrawn or placed (and every later event of that match), an activation after
//     the match was cancelled, a cancellation "before the stay" of a placed student.
//   - acknowledged and ignored: the other events of these streams (match proposed, declined,
//     completed…, a match cancelled before its approval, contract drafted, signed…).
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
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/students/internal/app"
	"github.com/cohabit/cohabit/services/students/internal/placement"
)

// The subjects the chain is made of.
const (
	SubjectMatchApproved      = "cohabit.matching.match.approved"
	SubjectMatchCancelled     = "cohabit.matching.match.cancelled"
	SubjectContractActivated  = "cohabit.contracts.contract.activated"
	SubjectContractEnded      = "cohabit.contracts.contract.ended"
	SubjectContractTerminated = "cohabit.contracts.contract.terminated"
	SubjectContractCancelled  = "cohabit.contracts.contract.cancelled"
)

// Durable names, which are also the inbox's consumer names.
const (
	DurableMatching  = "students-matching"
	DurableContracts = "students-contracts"
)

// Consumers returns the durable consumers of the MATCHING and CONTRACTS streams. The
// CONTRACTS stream is the contracts service's: natsx.Consumer waits until it exists.
func Consumers(a *app.App, log *slog.Logger) []*natsx.Consumer {
	return []*natsx.Consumer{
		{Stream: "MATCHING", Durable: DurableMatching, Subjects: []string{SubjectMatchApproved, SubjectMatchCancelled}, Log: log,
			Handle: func(ctx context.Context, e *eventsv1.Envelope) error { return handle(ctx, a, DurableMatching, e) }},
		{Stream: "CONTRACTS", Durable: DurableContracts, Log: log,
			Subjects: []string{SubjectContractActivated, SubjectContractEnded, SubjectContractTerminated, SubjectContractCancelled},
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
// NotFound, InvalidArgument) is permanent.
func classify(err error) error {
	if err == nil || errors.Is(err, placement.ErrNotYet) {
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
		f.MatchID, f.ApplicationID, do = m.GetMatch().GetMatchId(), m.GetMatch().GetApplicationId(), (*app.App).MatchApplication
	case SubjectMatchCancelled:
		m, err := event.Payload(e, &matchingeventsv1.MatchChanged{})
		if err != nil {
			return nil, f, err
		}
		if !m.GetWasApproved() {
			return nil, f, nil // never matched the application
		}
		f.MatchID, f.ApplicationID, do = m.GetMatch().GetMatchId(), m.GetMatch().GetApplicationId(), (*app.App).UnmatchApplication
	case SubjectContractActivated, SubjectContractEnded, SubjectContractTerminated, SubjectContractCancelled:
		m, err := event.Payload(e, &contractseventsv1.ContractChanged{})
		if err != nil {
			return nil, f, err
		}
		f.MatchID, f.ApplicationID = m.GetContract().GetMatchId(), m.GetContract().GetApplicationId()
		switch e.GetType() {
		case SubjectContractActivated:
			do = (*app.App).PlaceStudent
		case SubjectContractCancelled:
			// Also after activation: an active contract cancelled before its start date.
			do = (*app.App).CancelStay
		default:
			do = (*app.App).EndStay
		}
	default:
		return nil, f, nil
	}
	if !ids.Valid(f.MatchID) || !ids.Valid(f.ApplicationID) {
		return nil, f, fmt.Errorf("match id %q or application id %q is not a UUID", f.MatchID, f.ApplicationID)
	}
	return do, f, nil
}

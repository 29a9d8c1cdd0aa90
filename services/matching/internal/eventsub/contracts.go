package eventsub

import (
	"context"
	"fmt"
	"log/slog"

	"google.golang.org/grpc/codes"

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// The contract events that move a match (SPEC §4).
const (
	SubjectContractEnded      = "cohabit.contracts.contract.ended"
	SubjectContractTerminated = "cohabit.contracts.contract.terminated"
	SubjectContractCancelled  = "cohabit.contracts.contract.cancelled"
	// DurableContracts is the consumer of the CONTRACTS stream, and its inbox name.
	DurableContracts = Consumer + "-contracts"
)

// contractsConsumer follows the contracts of approved matches: a contract ENDED or
// TERMINATED completes its match (APPROVED → COMPLETED); a contract CANCELLED cancels it
// (APPROVED → CANCELLED, published with was_approved so that hosts and students put room
// and application back in the pool; they already did on the contract's own event, and the
// second telling changes nothing there).
//
// Retry or terminate: the match is matching's own record and is APPROVED before its contract
// is even drafted, so no event here waits for another: a database failure is retried (nak
// with delay); a payload that does not decode, a match id that is not a UUID or names no
// match, or a match in a status the event cannot follow (a contract ended of a CANCELLED
// match, cancelled of a COMPLETED one…) is terminated and logged. A match already COMPLETED
// (or CANCELLED) by an earlier telling acknowledges the event and changes nothing.
func contractsConsumer(a *app.App, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{
		Stream: "CONTRACTS", Durable: DurableContracts, Log: log,
		Subjects: []string{SubjectContractEnded, SubjectContractTerminated, SubjectContractCancelled},
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			m, err := event.Payload(e, &contractseventsv1.ContractChanged{})
			if err != nil {
				return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
			}
			f := app.ContractFact{Consumer: DurableContracts, EventID: e.GetId(), MatchID: m.GetContract().GetMatchId()}
			if !ids.Valid(f.MatchID) {
				return fmt.Errorf("%w: %s %s: match id %q is not a UUID", natsx.ErrPermanent, e.GetType(), e.GetId(), f.MatchID)
			}
			switch e.GetType() {
			case SubjectContractEnded, SubjectContractTerminated:
				err = a.CompleteMatch(ctx, f)
			case SubjectContractCancelled:
				err = a.CancelApprovedMatch(ctx, f)
			default:
				return nil
			}
			if e, ok := errs.As(err); ok && (e.Code == codes.FailedPrecondition || e.Code == codes.NotFound) {
				return fmt.Errorf("%w: %w", natsx.ErrPermanent, err)
			}
			return err
		},
	}
}

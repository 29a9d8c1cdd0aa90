package eventsub

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// DurableContracts is the consumer of the CONTRACTS stream, and its inbox name.
const DurableContracts = Consumer + "-contracts"

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
func contractsConsumer(db pg.Beginner, a *app.App, log *slog.Logger) *natsx.Consumer {
	follow := func(use func(*app.App, context.Context, pgx.Tx, string) error) consume.Func[*contractseventsv1.ContractChanged] {
		return func(ctx context.Context, tx pgx.Tx, _ consume.Meta, p *contractseventsv1.ContractChanged) error {
			id := p.GetContract().GetMatchId()
			if err := consume.IDs(id); err != nil {
				return err
			}
			return use(a, ctx, tx, id)
		}
	}
	return consume.Group{Durable: DurableContracts, DB: db, Handlers: []consume.Handler{
		consume.On(contractsevents.ContractEnded, follow((*app.App).CompleteMatch)),
		consume.On(contractsevents.ContractTerminated, follow((*app.App).CompleteMatch)),
		consume.On(contractsevents.ContractCancelled, follow((*app.App).CancelApprovedMatch)),
	}}.Consumer(log)
}

// Package stay holds what the two services that keep a side of a stay (hosts: the room;
// students: the application and the student) share in following its chain (SPEC §4): the
// same events of matching, contracts and identity, through the same three durable consumers,
// "<service>-matching" (match approved; match cancelled after its approval),
// "<service>-contracts" (contract activated, ended, terminated, cancelled) and
// "<service>-invitations" (an invitation to one of the service's records accepted). What
// differs — which record a match names, what each step does to it — is the Party's.
//
// Each step is a use case of the service's App bound to the event's inbox transaction
// (platform/consume; Party.Within), so that no use case takes the transaction, and follows
// the inbox's policy:
// ErrNotYet-wrapped errors and failures retried, refusals of the domain terminated. A match
// cancelled before its approval, and an invitation to the other kind of record, are
// acknowledged and change nothing.
package stay

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Step applies one link of a match's chain to the service's record recordID, with a, the
// service's use cases bound to the event's inbox transaction.
type Step[A any] func(a A, ctx context.Context, matchID, recordID string) error

// Party is one side of the stay: the service, the records it keeps, and its steps, use cases
// of its App, A.
type Party[A any] struct {
	// Service names the durables: "<service>-matching", …
	Service string
	DB      pg.Beginner
	// Within binds the service's use cases to an event's inbox transaction (App.Within).
	Within func(tx pgx.Tx) A
	// OfMatch and OfContract read the id of the service's record in a match or a contract
	// (the room; the application).
	OfMatch    func(*matchingeventsv1.MatchSummary) string
	OfContract func(*contractseventsv1.ContractSummary) string
	// The steps: match approved; match cancelled after its approval; contract activated;
	// contract ended or terminated; contract cancelled (before the stay, maybe once active).
	Approved, MatchCancelled, Activated, Ended, ContractCancelled Step[A]
	// Kind is the kind of record whose invitations Claim applies: accountID now owns recordID.
	Kind  identityv1.RecordKind
	Claim func(a A, ctx context.Context, recordID, accountID, programmeID string) error
}

// Consumers returns p's three durable consumers.
func (p Party[A]) Consumers(log *slog.Logger) []*natsx.Consumer {
	contract := func(step Step[A]) consume.Func[*contractseventsv1.ContractChanged] {
		return func(ctx context.Context, tx pgx.Tx, _ consume.Meta, e *contractseventsv1.ContractChanged) error {
			return p.apply(ctx, tx, step, e.GetContract().GetMatchId(), p.OfContract(e.GetContract()))
		}
	}
	return []*natsx.Consumer{
		consume.Group{Durable: p.Service + "-matching", DB: p.DB, Handlers: []consume.Handler{
			consume.On(matchingevents.MatchApproved, func(ctx context.Context, tx pgx.Tx, _ consume.Meta, e *matchingeventsv1.MatchApproved) error {
				return p.apply(ctx, tx, p.Approved, e.GetMatch().GetMatchId(), p.OfMatch(e.GetMatch()))
			}),
			consume.On(matchingevents.MatchCancelled, func(ctx context.Context, tx pgx.Tx, _ consume.Meta, e *matchingeventsv1.MatchChanged) error {
				if !e.GetWasApproved() {
					return nil // the chain never started
				}
				return p.apply(ctx, tx, p.MatchCancelled, e.GetMatch().GetMatchId(), p.OfMatch(e.GetMatch()))
			}),
		}}.Consumer(log),
		consume.Group{Durable: p.Service + "-contracts", DB: p.DB, Handlers: []consume.Handler{
			consume.On(contractsevents.ContractActivated, contract(p.Activated)),
			consume.On(contractsevents.ContractEnded, contract(p.Ended)),
			consume.On(contractsevents.ContractTerminated, contract(p.Ended)),
			consume.On(contractsevents.ContractCancelled, contract(p.ContractCancelled)),
		}}.Consumer(log),
		consume.Group{Durable: p.Service + "-invitations", DB: p.DB, Handlers: []consume.Handler{
			consume.On(identityevents.InvitationAccepted, func(ctx context.Context, tx pgx.Tx, _ consume.Meta, e *identityeventsv1.InvitationAccepted) error {
				if e.GetRecordKind() != p.Kind {
					return nil // the other service's record
				}
				if err := consume.IDs(e.GetRecordId(), e.GetAccountId()); err != nil {
					return err
				}
				return p.Claim(p.Within(tx), ctx, e.GetRecordId(), e.GetAccountId(), e.GetProgrammeId())
			}),
		}}.Consumer(log),
	}
}

func (p Party[A]) apply(ctx context.Context, tx pgx.Tx, step Step[A], matchID, recordID string) error {
	if err := consume.IDs(matchID, recordID); err != nil {
		return err
	}
	return step(p.Within(tx), ctx, matchID, recordID)
}

package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
)

// CancelReasonContract is the coded reason of a match cancelled because its contract was.
const CancelReasonContract = "CONTRACT_CANCELLED"

// CompleteMatch records that the stay of an APPROVED match ended (its contract ended or was
// terminated): the match is COMPLETED (match.completed), and no longer holds its room and
// student out of the pool. A match already COMPLETED is left alone. Errors: NotFound (no such
// match), FailedPrecondition (the match is neither APPROVED nor COMPLETED), the database's.
func (a *App) CompleteMatch(ctx context.Context, tx pgx.Tx, matchID string) error {
	return a.followContract(ctx, tx, matchID, match.StatusCompleted, func(m *match.Match) error { return m.Complete(a.now()) })
}

// CancelApprovedMatch records that the contract of an APPROVED match was cancelled before the
// stay: the match is CANCELLED (match.cancelled, was_approved). A match already CANCELLED is
// left alone. Errors: NotFound, FailedPrecondition (the match is neither APPROVED nor
// CANCELLED: a contract exists only for an approved match), the database's.
func (a *App) CancelApprovedMatch(ctx context.Context, tx pgx.Tx, matchID string) error {
	return a.followContract(ctx, tx, matchID, match.StatusCancelled, func(m *match.Match) error {
		if m.Status() != match.StatusApproved {
			return match.ErrStatus.WithMessage("cannot cancel a match that is %s because its contract was cancelled: it must be APPROVED", m.Status())
		}
		return m.Cancel(CancelReasonContract, a.now())
	})
}

// followContract applies move to the match in tx, the inbox transaction of the contract's
// event, unless the match is already in status done.
func (a *App) followContract(ctx context.Context, tx pgx.Tx, matchID string, done match.Status, move func(*match.Match) error) error {
	return func(tx *postgres.Store) error {
		_, err := tx.UpdateMatch(ctx, matchID, func(_ *postgres.Store, m *match.Match) ([]*eventsv1.Envelope, error) {
			if m.Status() == done {
				return nil, nil
			}
			if err := move(m); err != nil {
				return nil, err
			}
			return one(changed(m, "", a.now()))
		})
		return err
	}(a.store.Within(tx))
}

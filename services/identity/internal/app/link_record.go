package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
)

// Record names a host or student record, its programme and the account that owns it (empty
// for a record a coordinator registered for a person without an account).
type Record struct {
	Kind           account.RecordKind
	ID             string
	ProgrammeID    string
	OwnerAccountID string
}

// RecordRegistered keeps identity's copy of a record its service registered (to authorize and
// redeem invitations), and, when an account owns it, records that the account owns it, in tx
// (the inbox transaction of the event that said so: handling it again changes nothing).
// Errors: account.ErrNotFound, account.ErrWrongRole, account.ErrOtherProgramme,
// account.ErrAlreadyLinked — none of which a retry will fix.
func (a *App) RecordRegistered(ctx context.Context, tx pgx.Tx, rec Record) error {
	now := a.now()
	return a.store.Within(tx).RecordRegistered(ctx, invitation.Record(rec), func(acct *account.Account) error {
		_, err := acct.Link(rec.Kind, rec.ID, rec.ProgrammeID, now)
		return err
	})
}

package app

import (
	"context"

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
// redeem invitations), and, when an account owns it, records that the account owns it, on
// behalf of event eventID handled by consumer: handling the same event again changes nothing.
// Errors: account.ErrNotFound, account.ErrWrongRole, account.ErrOtherProgramme,
// account.ErrAlreadyLinked — none of which a retry will fix.
func (a *App) RecordRegistered(ctx context.Context, consumer, eventID string, rec Record) error {
	now := a.now()
	return a.store.RecordRegisteredOnce(ctx, consumer, eventID, invitation.Record(rec), func(acct *account.Account) error {
		_, err := acct.Link(rec.Kind, rec.ID, rec.ProgrammeID, now)
		return err
	})
}

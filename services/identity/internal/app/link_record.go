package app

import (
	"context"

	"github.com/cohabit/cohabit/services/identity/internal/account"
)

// Record names a host or student record and its programme.
type Record struct {
	Kind        account.RecordKind
	ID          string
	ProgrammeID string
}

// LinkRecord records that account accountID owns rec, on behalf of event eventID handled by
// consumer: handling the same event again changes nothing.
// Errors: account.ErrNotFound, account.ErrWrongRole, account.ErrOtherProgramme,
// account.ErrAlreadyLinked — none of which a retry will fix.
func (a *App) LinkRecord(ctx context.Context, consumer, eventID, accountID string, rec Record) error {
	now := a.now()
	return a.store.UpdateAccountOnce(ctx, consumer, eventID, accountID, func(acct *account.Account) error {
		_, err := acct.Link(rec.Kind, rec.ID, rec.ProgrammeID, now)
		return err
	})
}

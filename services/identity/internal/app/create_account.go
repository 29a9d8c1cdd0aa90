package app

import (
	"context"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/account"
)

// CreateAccount lets an admin create a coordinator of an existing programme, or another admin.
// Errors: PermissionDenied for anyone but an admin; errs.Invalid; account.ErrEmailTaken.
func (a *App) CreateAccount(ctx context.Context, in NewAccount) (*account.Account, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	acct, err := account.Create(account.Draft{
		ID: uuid.NewString(), Email: in.Email, Password: in.Password, Role: in.Role, ProgrammeID: in.ProgrammeID,
	}, a.hasher, a.now())
	if err != nil {
		return nil, err
	}
	if err := a.store.CreateAccount(ctx, acct); err != nil {
		return nil, noSuchProgramme(err, acct.ProgrammeID())
	}
	return acct, nil
}

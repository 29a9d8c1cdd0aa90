package app

import (
	"context"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// NewAccount is the input of Signup and CreateAccount.
type NewAccount struct {
	Email       string
	Password    string
	Role        auth.Role
	ProgrammeID string
}

// Signup creates the account of a host or student in a programme. Anyone may call it.
// Errors: errs.Invalid (a bad field, a role other than host or student, a programme that does
// not exist); account.ErrEmailTaken (AlreadyExists).
func (a *App) Signup(ctx context.Context, in NewAccount) (*account.Account, error) {
	acct, err := account.Signup(account.Draft{
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

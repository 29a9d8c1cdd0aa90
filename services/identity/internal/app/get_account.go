package app

import (
	"context"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// GetAccount returns account id to a platform service (the notifications service writes to
// the owner of an address someone signed up with: SignupDuplicated names the account, never
// its address). No person reads another's account here. Errors: PermissionDenied (not a
// service), account.ErrNotFound.
func (a *App) GetAccount(ctx context.Context, id string) (*account.Account, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !p.Is(auth.RoleService) {
		return nil, errs.PermissionDenied("SERVICE_ONLY", "only a platform service reads an account by id")
	}
	return a.store.Account(ctx, id)
}

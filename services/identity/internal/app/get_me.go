package app

import (
	"context"

	"github.com/cohabit/cohabit/services/identity/internal/account"
)

// GetMe returns the caller's account with the host or student record it owns.
// Errors: Unauthenticated without a caller; account.ErrNotFound if the account is gone.
func (a *App) GetMe(ctx context.Context) (*account.Account, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.Account(ctx, p.AccountID)
}

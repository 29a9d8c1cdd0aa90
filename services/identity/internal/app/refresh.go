package app

import (
	"context"
	"fmt"
)

// RefreshToken issues the calling account a new token, with a new expiry: a session in use
// slides instead of ending a fixed time after sign-in. The account is read again, so the
// token carries its current role, programme and links (a record claimed since sign-in). Its
// errors are Unauthenticated without a valid token, NotFound for an account gone since.
func (a *App) RefreshToken(ctx context.Context) (Session, error) {
	p, err := principal(ctx)
	if err != nil {
		return Session{}, err
	}
	acct, err := a.store.Account(ctx, p.AccountID)
	if err != nil {
		return Session{}, err
	}
	// The new token belongs to the same sign-in: signing out ends both.
	next := acct.Principal()
	next.SessionID = p.SessionID
	token, exp, err := a.tokens.Issue(next)
	if err != nil {
		return Session{}, fmt.Errorf("refresh %s: %w", acct.ID(), err)
	}
	return Session{AccessToken: token, ExpiresAt: exp, Account: acct}, nil
}

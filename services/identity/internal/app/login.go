package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Session is what a successful sign-in returns.
type Session struct {
	AccessToken string
	ExpiresAt   time.Time
	Account     *account.Account
}

// Login checks an email and password and returns a bearer token.
// Errors: account.ErrBadCredentials (Unauthenticated) for a wrong email or password alike;
// account.ErrTooManyAttempts (ResourceExhausted) while the email is locked out, without looking
// at the password; errs.Invalid for an empty field.
func (a *App) Login(ctx context.Context, email, password string) (Session, error) {
	email = account.NormaliseEmail(email)
	var v errs.Violations
	v.Check(email != "", "email", "is required")
	v.Check(password != "", "password", "is required")
	if err := v.Err(); err != nil {
		return Session{}, err
	}
	now := a.now()
	if err := a.store.ClaimLoginAttempt(ctx, email, func(at account.Attempts) (account.Attempts, error) {
		return at.Claim(now)
	}); err != nil {
		return Session{}, err
	}

	acct, err := a.store.AccountByEmail(ctx, email)
	if errors.Is(err, account.ErrNotFound) {
		_, _, _ = a.hasher.Verify(password, a.dummyHash)
		return Session{}, account.ErrBadCredentials
	}
	if err != nil {
		return Session{}, err
	}
	ok, stale, err := a.hasher.Verify(password, acct.PasswordHash())
	if err != nil {
		return Session{}, fmt.Errorf("login %s: %w", acct.ID(), err)
	}
	if !ok {
		return Session{}, account.ErrBadCredentials
	}
	if err := a.store.ResetLoginAttempts(ctx, email); err != nil {
		return Session{}, err
	}
	if stale {
		acct = a.rehash(ctx, acct, password)
	}
	token, exp, err := a.tokens.Issue(acct.Principal())
	if err != nil {
		return Session{}, fmt.Errorf("login %s: %w", acct.ID(), err)
	}
	return Session{AccessToken: token, ExpiresAt: exp, Account: acct}, nil
}

// rehash moves a hash made at an older cost to the current one while the password is at hand.
// It is best effort: the sign-in succeeds whatever happens here.
func (a *App) rehash(ctx context.Context, acct *account.Account, password string) *account.Account {
	hash, err := a.hasher.Hash(password)
	if err != nil {
		a.log.WarnContext(ctx, "rehash password", "account", acct.ID(), "err", err)
		return acct
	}
	updated, err := a.store.UpdateAccount(ctx, acct.ID(), func(x *account.Account) error {
		x.SetPasswordHash(hash, a.now())
		return nil
	})
	if err != nil {
		a.log.WarnContext(ctx, "store rehashed password", "account", acct.ID(), "err", err)
		return acct
	}
	return updated
}

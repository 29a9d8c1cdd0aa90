package app

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// MaxTokenLife bounds what a revocation must outlive: no token lives longer (the service's
// configuration refuses a longer lifetime).
const MaxTokenLife = 24 * time.Hour

// Logout ends the caller's session in every service: its token, and every token refreshed
// from the same sign-in. A token without a session id (signed before sessions had one) ends
// with every token of the account signed up to it. Errors: Unauthenticated without a token.
func (a *App) Logout(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	now := a.now()
	r := account.Revocation{AccountID: p.AccountID, ProgrammeID: p.ProgrammeID, SessionID: p.SessionID, At: now, Until: now.Add(MaxTokenLife)}
	if p.SessionID == "" {
		r.At = p.IssuedAt
	}
	return a.store.RevokeSessions(ctx, r)
}

// RevokeSessions ends every session of account id, in every service: the tokens signed
// until now stop working, a new sign-in works. An admin may for any account, a coordinator
// for an account of their programme. Errors: NotFound for an account out of reach (as for
// one that does not exist), PermissionDenied for other roles.
func (a *App) RevokeSessions(ctx context.Context, id string) (time.Time, error) {
	p, err := principal(ctx)
	if err != nil {
		return time.Time{}, err
	}
	acct, err := a.store.Account(ctx, id)
	if err != nil {
		return time.Time{}, err
	}
	switch {
	case p.Role == auth.RoleAdmin:
	case p.Role == auth.RoleCoordinator && acct.ProgrammeID() != "" && p.CoordinatesProgramme(acct.ProgrammeID()):
	case p.Role == auth.RoleCoordinator:
		return time.Time{}, account.ErrNotFound
	default:
		return time.Time{}, errAdminOnly
	}
	now := a.now()
	err = a.store.RevokeSessions(ctx, account.Revocation{AccountID: acct.ID(), ProgrammeID: acct.ProgrammeID(), At: now, Until: now.Add(MaxTokenLife)})
	return now, err
}

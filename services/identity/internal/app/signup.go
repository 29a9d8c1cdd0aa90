package app

import (
	"context"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// NewAccount is the input of Signup and CreateAccount.
type NewAccount struct {
	Email       string
	Password    string
	Role        auth.Role
	ProgrammeID string
	// InviteCode, on sign-up, claims the record a coordinator created (Role and ProgrammeID
	// are then the record's, whatever was sent).
	InviteCode string
}

// Signup creates the account of a host or student in a programme. Anyone may call it. With an
// invitation code, the account owns the invited record from the start (see signupInvited).
// Errors: errs.Invalid (a bad field, a role other than host or student, a programme that does
// not exist, an invitation code that does not work); account.ErrEmailTaken (AlreadyExists).
func (a *App) Signup(ctx context.Context, in NewAccount) (*account.Account, error) {
	if in.InviteCode != "" {
		return a.signupInvited(ctx, in)
	}
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

// signupInvited creates an account linked to the invited record: never a second record. The
// code works once: the transaction that creates the account drops it. A wrong, used or
// expired code is one InvalidArgument on inviteCode that creates nothing; it counts towards no
// lockout (the codes are 256-bit random: guessing is hopeless, and a person holding an old
// code must not lock herself out of signing in).
func (a *App) signupInvited(ctx context.Context, in NewAccount) (*account.Account, error) {
	if err := invitation.CheckCode(in.InviteCode); err != nil {
		return nil, err
	}
	a.dropExpiredCodes(ctx)
	now := a.now()
	inv, err := a.store.InvitationByCode(ctx, invitation.Digest(in.InviteCode))
	if err != nil {
		return nil, err
	}
	if err := inv.Redeem(in.InviteCode, now); err != nil {
		return nil, err
	}
	// The password is hashed before the transaction, which then holds its locks briefly.
	acct, err := account.Claim(account.Draft{ID: uuid.NewString(), Email: in.Email, Password: in.Password},
		inv.Kind, inv.RecordID, inv.ProgrammeID, a.hasher, now)
	if err != nil {
		return nil, err
	}
	err = a.store.RedeemInvitation(ctx, inv.ID, acct, func(locked invitation.Invitation, rec invitation.Record) error {
		if err := locked.Redeem(in.InviteCode, now); err != nil {
			return err
		}
		if rec.OwnerAccountID != "" {
			return invitation.ErrInvalidCode
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	a.log.InfoContext(ctx, "invitation accepted", "invitation", inv.ID, "account", acct.ID(), "kind", string(inv.Kind))
	return acct, nil
}

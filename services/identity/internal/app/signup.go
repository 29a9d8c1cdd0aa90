package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
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
// not exist, an invitation code that does not work). An email that already has an account
// gets the same answer as a new one (signupTaken).
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
	err = a.store.CreateAccount(ctx, acct)
	if errors.Is(err, account.ErrEmailTaken) {
		return a.signupTaken(ctx, acct)
	}
	if err != nil {
		return nil, noSuchProgramme(err, acct.ProgrammeID())
	}
	return acct, nil
}

// signupTaken answers a sign-up with the email of an existing account as it answers a new
// one (SPEC §3, issue 18: a 409 told anyone which addresses have an account): the account it
// returns was never stored, so signing in with it fails like a wrong password, and the
// owner of the address is told by email (SignupDuplicated, which the notifications service
// follows). The programme is still checked, as for a new account: the same input gets the
// same answer whether the email is known or not.
func (a *App) signupTaken(ctx context.Context, decoy *account.Account) (*account.Account, error) {
	if _, err := a.store.Programme(ctx, decoy.ProgrammeID()); err != nil {
		return nil, noSuchProgramme(err, decoy.ProgrammeID())
	}
	owner, err := a.store.AccountByEmail(ctx, decoy.Email())
	if err != nil {
		return nil, fmt.Errorf("sign-up with a taken email: %w", err)
	}
	if err := a.store.SignupDuplicated(ctx, owner, a.now()); err != nil {
		return nil, err
	}
	return decoy, nil
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
	check := func(locked invitation.Invitation, rec invitation.Record) error {
		if err := locked.Redeem(in.InviteCode, now); err != nil {
			return err
		}
		if rec.OwnerAccountID != "" {
			return invitation.ErrInvalidCode
		}
		return nil
	}
	email := account.NormaliseEmail(in.Email)
	if existing, err := a.store.AccountByEmail(ctx, email); err == nil {
		return a.claimWithAccount(ctx, inv, existing, in.Password, check)
	} else if !errors.Is(err, account.ErrNotFound) {
		return nil, err
	}
	// The password is hashed before the transaction, which then holds its locks briefly.
	acct, err := account.Claim(account.Draft{ID: uuid.NewString(), Email: in.Email, Password: in.Password},
		inv.Kind, inv.RecordID, inv.ProgrammeID, a.hasher, now)
	if err != nil {
		return nil, err
	}
	err = a.store.RedeemInvitation(ctx, inv.ID, acct, check)
	if err != nil {
		return nil, err
	}
	a.log.InfoContext(ctx, "invitation accepted", "invitation", inv.ID, "account", acct.ID(), "kind", string(inv.Kind))
	return acct, nil
}

// claimWithAccount links the invited record to the account that already has the email: a
// person who signed up on her own before her coordinator invited her (her own registration of
// a record was refused, see hosts' and students' INVITATION_REQUIRED) follows the invitation
// with her email and password and finds her record, instead of a second account. The code
// proves she reads the record's mailbox, the password that the account is hers. The password
// check is a sign-in attempt and counts like one, so that a code holder cannot guess other
// accounts' passwords here. Errors: errs.Invalid on password when it is wrong;
// account.ErrTooManyAttempts; account.ErrWrongRole, ErrOtherProgramme, ErrAlreadyLinked
// (FailedPrecondition) when the account cannot own the record; invitation.ErrInvalidCode.
func (a *App) claimWithAccount(ctx context.Context, inv invitation.Invitation, acct *account.Account, password string,
	check func(invitation.Invitation, invitation.Record) error) (*account.Account, error) {
	now := a.now()
	if err := a.store.ClaimLoginAttempt(ctx, acct.Email(), func(at account.Attempts) (account.Attempts, error) {
		return at.Claim(now)
	}); err != nil {
		return nil, err
	}
	ok, _, err := a.hasher.Verify(password, acct.PasswordHash())
	if err != nil {
		return nil, fmt.Errorf("claim with account %s: %w", acct.ID(), err)
	}
	if !ok {
		return nil, errs.Invalid(errs.Violation{Field: "password",
			Description: "an account already uses this email: enter its password to add your invitation to it"})
	}
	if err := a.store.ResetLoginAttempts(ctx, acct.Email()); err != nil {
		return nil, err
	}
	linked, err := a.store.RedeemInvitationForAccount(ctx, inv.ID, acct.ID(), check, func(x *account.Account, locked invitation.Invitation) error {
		_, err := x.Link(locked.Kind, locked.RecordID, locked.ProgrammeID, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	a.log.InfoContext(ctx, "invitation accepted by an existing account", "invitation", inv.ID, "account", acct.ID(), "kind", string(inv.Kind))
	return linked, nil
}

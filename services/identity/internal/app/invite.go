package app

import (
	"context"
	"errors"
	"strings"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Invite lets a coordinator invite the person of a host or student record registered without
// an account to claim it (SPEC §3): a fresh code valid 14 days replaces any earlier one, and
// InvitationCreated tells the notifications service to email it.
//
// Identity serves this rather than hosts or students because the code is redeemed by Signup,
// which creates the account: code and account then live in one service and change in one
// transaction (a code works once, and never makes an account without its link). Identity
// decides who may invite from its own copy of the records (id, programme, owner), kept from
// the records' registered events, so that no request waits on another service.
//
// Errors: PermissionDenied for anyone but a coordinator; invitation.ErrRecordNotFound
// (NotFound) for a record unknown or of another programme; invitation.ErrHasAccount
// (FailedPrecondition); errs.Invalid for an empty id.
func (a *App) Invite(ctx context.Context, kind account.RecordKind, id string) (invitation.Invitation, error) {
	p, err := principal(ctx)
	if err != nil {
		return invitation.Invitation{}, err
	}
	if !p.Is(auth.RoleCoordinator) {
		return invitation.Invitation{}, errs.PermissionDenied("COORDINATOR_ONLY", "only a coordinator invites a person to claim their record")
	}
	id = strings.TrimSpace(id)
	if id == "" {
		return invitation.Invitation{}, errs.Invalid(errs.Violation{Field: "id", Description: "is required"})
	}
	a.dropExpiredCodes(ctx)
	now := a.now()
	invite := func() (invitation.Invitation, error) {
		return a.store.CreateInvitation(ctx, kind, id, func(rec invitation.Record) (invitation.Invitation, error) {
			// Another programme's record answers as a missing one: its existence is not the
			// caller's to know.
			if !p.CoordinatesProgramme(rec.ProgrammeID) {
				return invitation.Invitation{}, invitation.ErrRecordNotFound
			}
			return invitation.New(uuid.NewString(), rec, p.AccountID, now)
		})
	}
	inv, err := invite()
	if !errors.Is(err, invitation.ErrRecordNotFound) || a.records == nil {
		return inv, err
	}
	// Not in the copy: a record older than the copy, or one whose registered event is still
	// on its way. Its own service says whether it exists; the copy keeps what it says (the
	// event, when it comes, changes nothing more), and the same rules then decide.
	rec, rerr := a.records.Record(ctx, kind, id)
	if errors.Is(rerr, invitation.ErrRecordNotFound) {
		return inv, err
	}
	if rerr != nil {
		return invitation.Invitation{}, errs.Unavailable("RECORDS_UNAVAILABLE", "the record cannot be read just now: try again in a moment").WithCause(rerr)
	}
	if err := a.store.SaveRecord(ctx, rec); err != nil {
		return invitation.Invitation{}, err
	}
	return invite()
}

// InvitationCode returns a valid invitation with its code, for the notifications service,
// which emails it (service accounts only: the Policy admits no one else, and this checks it
// again). Errors: PermissionDenied; invitation.ErrNotFound once used, replaced or expired.
func (a *App) InvitationCode(ctx context.Context, id string) (invitation.Invitation, error) {
	p, err := principal(ctx)
	if err != nil {
		return invitation.Invitation{}, err
	}
	if !p.Is(auth.RoleService) {
		return invitation.Invitation{}, errs.PermissionDenied("SERVICE_ONLY", "only a platform service reads invitation codes")
	}
	inv, err := a.store.Invitation(ctx, id)
	if err != nil {
		return invitation.Invitation{}, err
	}
	if !inv.Valid(a.now()) {
		return invitation.Invitation{}, invitation.ErrNotFound
	}
	return inv, nil
}

// DropExpiredCodes forgets the codes of expired invitations and says how many; the service
// runs it periodically (internal/jobs), and Invite and sign-up run it on their way.
func (a *App) DropExpiredCodes(ctx context.Context) (int, error) {
	n, err := a.store.DropExpiredCodes(ctx, a.now())
	return int(n), err
}

// dropExpiredCodes is DropExpiredCodes as a side errand: its failure fails nothing.
func (a *App) dropExpiredCodes(ctx context.Context) {
	n, err := a.DropExpiredCodes(ctx)
	if err != nil {
		a.log.WarnContext(ctx, "drop expired invitation codes", "err", err)
	} else if n > 0 {
		a.log.InfoContext(ctx, "expired invitation codes dropped", "count", n)
	}
}

package app

import (
	"context"
	"strings"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// ClaimHost applies identity's invitation.accepted: account accountID, which signed up with
// the invitation's code, now owns host hostID, so that she sees and changes her own record and
// signs her own contract. It publishes host.updated, whose profile carries the owner. It runs
// in the event's inbox transaction, on an App bound to it (Within).
// Errors: NotFound (unknown host); FailedPrecondition (another owner, another programme).
func (a *App) ClaimHost(ctx context.Context, hostID, accountID, programmeID string) error {
	return a.store.UpdateHostIn(ctx, hostID, func(h *host.Host) ([]*eventsv1.Envelope, error) {
		if h.ProgrammeID() != programmeID {
			return nil, errs.FailedPrecondition("OTHER_PROGRAMME", "the invitation's programme is not the host's")
		}
		now := a.now()
		changed, err := h.Claim(accountID, now)
		if err != nil || !changed {
			return nil, err
		}
		ev, err := hostEvent(hostsevents.HostUpdated.Subject, h, now)
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
}

// ErrInvitationRequired refuses a host account's own registration when the programme's
// coordinator already registered a host with the same email, who has no account yet: a second
// record would split her file (documents, notes, stay) in two. Linking the new account to the
// existing record instead would hand the record to whoever typed her email — emails are not
// verified at sign-up — so she claims it with the invitation, whose code reaches only her
// mailbox. The message says no more than a second registration needs the coordinator: it
// names no record and no person, and is given only to a signed-in account of that programme.
var ErrInvitationRequired = errs.FailedPrecondition("INVITATION_REQUIRED",
	"your programme's coordinator must invite you to finish your registration: ask them to send you an invitation, then sign up with its link")

// checkNotRegisteredByCoordinator is the guard of ErrInvitationRequired.
func (a *App) checkNotRegisteredByCoordinator(ctx context.Context, programmeID, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil
	}
	found, err := a.store.UnclaimedHostWithEmail(ctx, programmeID, email)
	if err != nil {
		return err
	}
	if found {
		return ErrInvitationRequired
	}
	return nil
}

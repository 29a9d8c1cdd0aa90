package app

import (
	"context"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/platform/person"
)

// RegisterHost is a host registering themselves, or a coordinator registering a host on their
// behalf (assisted: no account, consent recorded).
type RegisterHost struct {
	Profile         host.Profile
	Assisted        bool
	ConsentRecorded bool
	// ConsentNoticeVersion is the information notice's version an assisted host was given.
	ConsentNoticeVersion string
	RequestID            string
}

// RegisterHost creates a host in PENDING_VERIFICATION. Errors: Invalid, AlreadyExists (the
// account already has a host), PermissionDenied.
func (a *App) RegisterHost(ctx context.Context, in RegisterHost) (*host.Host, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	reg := host.Registration{ID: ids.New(), ProgrammeID: p.ProgrammeID, At: a.now(), RegisteredBy: p.AccountID}
	switch p.Role {
	case auth.RoleHost:
		if in.Assisted {
			return nil, errs.Invalid(errs.Violation{Field: "assisted", Description: "only a coordinator registers a host on their behalf"})
		}
		reg.OwnerAccountID = p.AccountID
		reg.ConsentRecorded = true
	case auth.RoleCoordinator:
		// A host registered by a coordinator has no account: the coordinator acts for them.
		reg.Assisted = true
		reg.ConsentRecorded = in.ConsentRecorded
		reg.ConsentNoticeVersion = in.ConsentNoticeVersion
	default:
		return nil, errs.PermissionDenied("ROLE_NOT_ALLOWED", "only a host or a coordinator registers a host")
	}
	if reg.ProgrammeID == "" {
		return nil, errs.FailedPrecondition("NO_PROGRAMME", "your account belongs to no programme")
	}
	h, err := host.New(in.Profile, reg)
	if err != nil {
		return nil, err
	}
	if reg.OwnerAccountID != "" {
		if err := person.RefuseSecondRegistration(ctx, a.store.UnclaimedHostWithEmail, reg.ProgrammeID, h.Record().Profile.Email); err != nil {
			return nil, err
		}
	}
	ev, err := hostEvent(hostsevents.HostRegistered.Subject, h, reg.At)
	if err != nil {
		return nil, err
	}
	return a.store.CreateHost(ctx, h, p.AccountID, in.RequestID, ev)
}

// GetHost returns a host its caller may see. Errors: NotFound (also for hosts out of reach).
func (a *App) GetHost(ctx context.Context, id string) (*host.Host, error) {
	return person.Read(ctx, auth.RoleHost, id, a.store.Host, postgres.ErrHostNotFound)
}

// ListHosts lists the hosts of the coordinator's programme, or the host's own record.
func (a *App) ListHosts(ctx context.Context, status host.Status, query string, req page.Request) ([]*host.Host, string, error) {
	return person.List(ctx, auth.RoleHost, "hosts", query, req, func(ctx context.Context, l person.Listing) ([]*host.Host, error) {
		return a.store.ListHosts(ctx, postgres.HostFilter{ProgrammeID: l.ProgrammeID, OwnerAccountID: l.OwnerAccountID,
			Status: status, Query: l.Query, After: l.After, Limit: l.Limit})
	}, (*host.Host).ID)
}

// UpdateHost applies change to the host's profile when sentEtag is current. Errors: NotFound,
// Aborted (stale etag), Invalid, FailedPrecondition.
func (a *App) UpdateHost(ctx context.Context, id, sentEtag string, change func(*host.Profile) error) (*host.Host, error) {
	return a.changeHost(ctx, id, sentEtag, hostsevents.HostUpdated.Subject, func(p auth.Principal, h *host.Host, _ postgres.Stays) error {
		prof := h.Record().Profile
		if err := change(&prof); err != nil {
			return err
		}
		return h.UpdateProfile(prof, a.now())
	})
}

// VerifyHost records a coordinator's verification. Errors: FailedPrecondition (too young, landlord
// not informed, wrong status), NotFound, Aborted.
func (a *App) VerifyHost(ctx context.Context, id, sentEtag string) (*host.Host, error) {
	return a.changeHost(ctx, id, sentEtag, hostsevents.HostVerified.Subject, func(p auth.Principal, h *host.Host, _ postgres.Stays) error {
		if !p.CoordinatesProgramme(h.ProgrammeID()) {
			return errs.PermissionDenied("COORDINATOR_ONLY", "only a coordinator of the host's programme verifies a host")
		}
		_, minAge, err := a.rules(ctx, h.ProgrammeID())
		if err != nil {
			return err
		}
		return h.Verify(p.AccountID, minAge, a.now())
	})
}

// SuspendHost takes a verified host out of matching, with a reason.
func (a *App) SuspendHost(ctx context.Context, id, sentEtag, reason string) (*host.Host, error) {
	return a.changeHost(ctx, id, sentEtag, hostsevents.HostSuspended.Subject, a.coordinatorOnly(func(h *host.Host, _ postgres.Stays) error { return h.Suspend(reason, a.now()) }))
}

// ReinstateHost brings a suspended host back.
func (a *App) ReinstateHost(ctx context.Context, id, sentEtag string) (*host.Host, error) {
	return a.changeHost(ctx, id, sentEtag, hostsevents.HostReinstated.Subject, a.coordinatorOnly(func(h *host.Host, _ postgres.Stays) error { return h.Reinstate(a.now()) }))
}

// ArchiveHost closes a host's record.
func (a *App) ArchiveHost(ctx context.Context, id, sentEtag string) (*host.Host, error) {
	return a.changeHost(ctx, id, sentEtag, hostsevents.HostArchived.Subject, a.coordinatorOnly(func(h *host.Host, stays postgres.Stays) error {
		n, err := stays()
		if err != nil {
			return err
		}
		return h.Archive(n, a.now())
	}))
}

func (a *App) coordinatorOnly(fn func(*host.Host, postgres.Stays) error) func(auth.Principal, *host.Host, postgres.Stays) error {
	return func(p auth.Principal, h *host.Host, stays postgres.Stays) error {
		if !p.CoordinatesProgramme(h.ProgrammeID()) {
			return errs.PermissionDenied("COORDINATOR_ONLY", "only a coordinator of the host's programme may do this")
		}
		return fn(h, stays)
	}
}

// changeHost is every host change: lock, check access and etag, change, store with the event.
// A caller who may not see the host gets NotFound, whatever the host's existence.
func (a *App) changeHost(ctx context.Context, id, sentEtag, subject string, change func(auth.Principal, *host.Host, postgres.Stays) error) (*host.Host, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	h, err := a.store.UpdateHost(ctx, id, func(h *host.Host, stays postgres.Stays) ([]*eventsv1.Envelope, error) {
		if !canManageHost(p, h) {
			return nil, postgres.ErrHostNotFound
		}
		if err := etag.Check(sentEtag, h.Version()); err != nil {
			return nil, err
		}
		if err := change(p, h, stays); err != nil {
			return nil, err
		}
		ev, err := hostEvent(subject, h, a.now())
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
	if err != nil {
		return nil, errs.Annotate(err, "change host %s", id)
	}
	return h, nil
}

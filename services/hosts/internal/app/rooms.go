package app

import (
	"context"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

// CreateRoom adds a DRAFT room to a host. Errors: NotFound (host out of reach), Invalid,
// FailedPrecondition (archived host).
func (a *App) CreateRoom(ctx context.Context, hostID string, d room.Details, requestID string) (*room.Room, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	h, err := a.store.Host(ctx, hostID)
	if err != nil {
		return nil, err
	}
	if !canManageHost(p, h) {
		return nil, postgres.ErrHostNotFound
	}
	if h.Status() == host.StatusArchived {
		return nil, host.ErrArchived
	}
	rules, _, err := a.rules(ctx, h.ProgrammeID())
	if err != nil {
		return nil, err
	}
	now := a.now()
	r, err := room.New(ids.New(), h.ProgrammeID(), h.ID(), h.City(), d, rules, now)
	if err != nil {
		return nil, err
	}
	ev, err := roomEvent(hostsevents.RoomCreated.Subject, r, h, now)
	if err != nil {
		return nil, err
	}
	return a.store.CreateRoom(ctx, r, p.AccountID, requestID, ev)
}

// GetRoom returns a room its caller may see: its host, a coordinator of its programme, or a
// student of the programme when the room is published. Errors: NotFound.
func (a *App) GetRoom(ctx context.Context, id string) (*room.Room, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	r, err := a.store.Room(ctx, id)
	if err != nil {
		return nil, err
	}
	h, err := a.store.Host(ctx, r.HostID())
	if err != nil {
		return nil, err
	}
	// A service reads a room to check a reference to it (students: the room an application
	// targets is of the student's programme); it changes nothing, so no record rule narrows it.
	if p.Role != auth.RoleService && !canSeeRoom(p, r, h) {
		return nil, postgres.ErrRoomNotFound
	}
	return r, nil
}

// RoomQuery filters a list of rooms.
type RoomQuery struct {
	Status               room.Status
	City                 string
	MaxContributionCents int
	AvailableBy          string
	HostID               string
	Page                 page.Request
}

// ListRooms lists the rooms the caller may see: a host's own, a coordinator's programme's, and
// for a student the published rooms of their programme.
func (a *App) ListRooms(ctx context.Context, q RoomQuery) ([]*room.Room, string, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, "", err
	}
	after, limit, err := q.Page.Bounds()
	if err != nil {
		return nil, "", err
	}
	if q.MaxContributionCents < 0 {
		return nil, "", errs.Invalid(errs.Violation{Field: "maxContributionCents", Description: "must not be negative"})
	}
	f := postgres.RoomFilter{Status: q.Status, City: q.City, MaxContributionCents: q.MaxContributionCents, AvailableBy: q.AvailableBy, After: after, Limit: limit}
	if q.HostID != "" {
		f.HostIDs = []string{q.HostID}
	}
	switch p.Role {
	case auth.RoleCoordinator:
		f.ProgrammeID = p.ProgrammeID
	case auth.RoleStudent:
		f.ProgrammeID = p.ProgrammeID
		if q.Status != "" && q.Status != room.StatusPublished {
			return nil, "", nil
		}
		f.Status = room.StatusPublished
	case auth.RoleHost:
		own, err := a.store.HostByOwner(ctx, p.AccountID)
		if err != nil {
			if errs.CodeOf(err) == postgres.ErrHostNotFound.Code {
				return nil, "", nil
			}
			return nil, "", err
		}
		if q.HostID != "" && q.HostID != own.ID() {
			return nil, "", nil
		}
		f.HostIDs = []string{own.ID()}
	default:
		return nil, "", errs.PermissionDenied("ROLE_NOT_ALLOWED", "your role may not list rooms")
	}
	if q.HostID != "" && !ids.Valid(q.HostID) {
		return nil, "", nil
	}
	rooms, err := a.store.ListRooms(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return rooms, page.Next(rooms, limit, (*room.Room).ID), nil
}

// UpdateRoom applies change to the room's details when sentEtag is current. Errors: NotFound,
// Aborted, Invalid, FailedPrecondition (reserved, occupied or withdrawn room).
func (a *App) UpdateRoom(ctx context.Context, id, sentEtag string, change func(*room.Details) error) (*room.Room, error) {
	return a.changeRoom(ctx, id, sentEtag, hostsevents.RoomUpdated.Subject, func(r *room.Room, h *host.Host) error {
		rules, _, err := a.rules(ctx, r.ProgrammeID())
		if err != nil {
			return err
		}
		d := r.Record().Details
		if err := change(&d); err != nil {
			return err
		}
		return r.Update(d, rules, a.now())
	})
}

// PublishRoom offers a draft room; its host must be verified.
func (a *App) PublishRoom(ctx context.Context, id, sentEtag string) (*room.Room, error) {
	return a.changeRoom(ctx, id, sentEtag, hostsevents.RoomPublished.Subject, func(r *room.Room, h *host.Host) error {
		return r.Publish(h.Status() == host.StatusVerified, a.now())
	})
}

// WithdrawRoom takes a draft or published room off the platform.
func (a *App) WithdrawRoom(ctx context.Context, id, sentEtag string) (*room.Room, error) {
	return a.changeRoom(ctx, id, sentEtag, hostsevents.RoomWithdrawn.Subject, func(r *room.Room, _ *host.Host) error {
		return r.Withdraw(a.now())
	})
}

func (a *App) changeRoom(ctx context.Context, id, sentEtag, subject string, change func(*room.Room, *host.Host) error) (*room.Room, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.UpdateRoom(ctx, id, func(r *room.Room, h *host.Host) ([]*eventsv1.Envelope, error) {
		if !canManageHost(p, h) {
			if canSeeRoom(p, r, h) {
				return nil, errs.PermissionDenied("NOT_YOURS", "only the room's host or a coordinator may change it")
			}
			return nil, postgres.ErrRoomNotFound
		}
		if err := etag.Check(sentEtag, r.Version()); err != nil {
			return nil, err
		}
		if err := change(r, h); err != nil {
			return nil, err
		}
		ev, err := roomEvent(subject, r, h, a.now())
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
}

package app

import (
	"context"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

// CheckinQuery filters the agenda.
type CheckinQuery struct {
	Status     checkin.Status
	DueBefore  date.Date
	ContractID string
	Page       page.Request
}

// ListCheckins is the coordinator's agenda: their programme's check-ins, concerns first, then
// by due date. Errors: PermissionDenied (not a coordinator), Invalid (page token).
func (a *App) ListCheckins(ctx context.Context, q CheckinQuery) ([]postgres.CheckinView, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	if p.Role != auth.RoleCoordinator || p.ProgrammeID == "" {
		return nil, "", ErrCoordinatorOnly.WithMessage("the follow-up agenda is the coordinators'")
	}
	after, limit, err := q.Page.Bounds()
	if err != nil {
		return nil, "", err
	}
	if q.ContractID != "" && !ids.Valid(q.ContractID) {
		return nil, "", nil
	}
	list, err := a.store.ListCheckins(ctx, postgres.CheckinFilter{
		ProgrammeID: p.ProgrammeID, Status: q.Status, DueBefore: q.DueBefore, ContractID: q.ContractID, After: after, Limit: limit,
	})
	if err != nil {
		return nil, "", err
	}
	return list, page.Next(list, limit, func(v postgres.CheckinView) string { return v.Checkin.ID() }), nil
}

// CompleteCheckin records a check-in: DUE → DONE, MISSED → DONE late. Errors: NotFound
// (another programme's), Aborted, FailedPrecondition (already done), Invalid.
func (a *App) CompleteCheckin(ctx context.Context, id, sentEtag string, rep checkin.Report) (postgres.CheckinView, error) {
	p, err := principal(ctx)
	if err != nil {
		return postgres.CheckinView{}, err
	}
	return a.store.UpdateCheckin(ctx, id, func(v postgres.CheckinView) ([]*eventsv1.Envelope, error) {
		ch := v.Checkin
		if !p.CoordinatesProgramme(ch.ProgrammeID()) {
			return nil, postgres.ErrCheckinNotFound
		}
		if err := etag.Check(sentEtag, ch.Version()); err != nil {
			return nil, err
		}
		now := a.now()
		if err := ch.Complete(rep, p.AccountID, now); err != nil {
			return nil, err
		}
		ev, err := checkinEvent(contractsevents.CheckinCompleted.Subject, ch, now)
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
}

package app

import (
	"context"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/incident"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

// ErrNoStay is an incident on a contract whose stay has not begun or was cancelled.
var ErrNoStay = errs.FailedPrecondition("NO_STAY", "incidents are reported on a signed contract, during or after the stay")

// CreateIncident reports an incident on a contract, by one of its parties or its programme's
// coordinator; a retry with the same request id returns the first report. Errors: NotFound,
// FailedPrecondition (no stay), Invalid.
func (a *App) CreateIncident(ctx context.Context, contractID string, rep incident.Report, requestID string) (*incident.Incident, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	v, err := a.store.Contract(ctx, contractID)
	if err != nil {
		return nil, err
	}
	x := accessTo(p, v.Contract, v.Parties)
	if x.none() {
		return nil, postgres.ErrContractNotFound
	}
	switch v.Contract.Status() {
	case contract.StatusActive, contract.StatusNoticeGiven, contract.StatusTerminated, contract.StatusEnded:
	default:
		return nil, ErrNoStay.WithMessage("incidents are reported on a signed contract, during or after the stay (this one is %s)", v.Contract.Status())
	}
	now := a.now()
	inc, err := incident.New(ids.New(), v.Contract.ProgrammeID(), v.Contract.ID(), rep, incident.Reporter{Party: string(x.party), AccountID: p.AccountID}, now)
	if err != nil {
		return nil, err
	}
	ev, err := incidentEvent(contractsevents.IncidentReported.Subject, inc, now)
	if err != nil {
		return nil, err
	}
	return a.store.CreateIncident(ctx, inc, p.AccountID, requestID, ev)
}

// IncidentQuery filters incidents.
type IncidentQuery struct {
	Status     incident.Status
	ContractID string
	Page       page.Request
}

// ListIncidents lists the incidents of the coordinator's programme, or of a party's own
// contracts, the most severe first.
func (a *App) ListIncidents(ctx context.Context, q IncidentQuery) ([]*incident.Incident, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	after, limit, err := q.Page.Bounds()
	if err != nil {
		return nil, "", err
	}
	f := postgres.IncidentFilter{ProgrammeID: p.ProgrammeID, Status: q.Status, ContractID: q.ContractID, After: after, Limit: limit}
	switch p.Role {
	case auth.RoleCoordinator:
	case auth.RoleHost, auth.RoleStudent:
		f.AccountID = p.AccountID
	default:
		return nil, "", errs.PermissionDenied("ROLE_NOT_ALLOWED", "your role may not list incidents")
	}
	if f.ProgrammeID == "" || (q.ContractID != "" && !ids.Valid(q.ContractID)) {
		return nil, "", nil
	}
	list, err := a.store.ListIncidents(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return list, page.Next(list, limit, (*incident.Incident).ID), nil
}

// MediateIncident starts a mediation. Errors: NotFound, Aborted, FailedPrecondition.
func (a *App) MediateIncident(ctx context.Context, id, sentEtag string) (*incident.Incident, error) {
	return a.changeIncident(ctx, id, sentEtag, contractsevents.IncidentMediated.Subject, func(by string, i *incident.Incident) error {
		return i.Mediate(by, a.now())
	})
}

// ResolveIncident closes an incident. Errors: NotFound, Aborted, FailedPrecondition, Invalid.
func (a *App) ResolveIncident(ctx context.Context, id, sentEtag, resolution string) (*incident.Incident, error) {
	return a.changeIncident(ctx, id, sentEtag, contractsevents.IncidentResolved.Subject, func(by string, i *incident.Incident) error {
		return i.Resolve(resolution, by, a.now())
	})
}

func (a *App) changeIncident(ctx context.Context, id, sentEtag, subject string, change func(string, *incident.Incident) error) (*incident.Incident, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.UpdateIncident(ctx, id, func(i *incident.Incident) ([]*eventsv1.Envelope, error) {
		if !p.CoordinatesProgramme(i.ProgrammeID()) {
			return nil, postgres.ErrIncidentNotFound
		}
		if err := etag.Check(sentEtag, i.Version()); err != nil {
			return nil, err
		}
		if err := change(p.AccountID, i); err != nil {
			return nil, err
		}
		ev, err := incidentEvent(subject, i, a.now())
		if err != nil {
			return nil, err
		}
		return []*eventsv1.Envelope{ev}, nil
	})
}

// Package grpcapi is the contracts service's gRPC face: it translates between proto messages
// and the domain, and declares who may call each method.
package grpcapi

import (
	"context"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/app"
	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/document"
	"github.com/cohabit/cohabit/services/contracts/internal/incident"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

const svc = "/cohabit.contracts.v1.ContractService/"

var (
	everyone     = grpcx.Roles(auth.RoleHost, auth.RoleStudent, auth.RoleCoordinator)
	coordinators = grpcx.Roles(auth.RoleCoordinator)
)

// Policy is who may call each method at all; the use cases then check the record (a party's
// own contract, the coordinator's own programme).
var Policy = grpcx.Policy{
	svc + "ListContracts":       everyone,
	svc + "GetContract":         everyone,
	svc + "UpdateContract":      coordinators,
	svc + "SendContract":        coordinators,
	svc + "SignContract":        everyone,
	svc + "TerminateContract":   everyone,
	svc + "RenewContract":       coordinators,
	svc + "CancelContract":      coordinators,
	svc + "ReopenContract":      coordinators,
	svc + "GetContractDocument": everyone,
	svc + "ListCheckins":        coordinators,
	svc + "CompleteCheckin":     coordinators,
	svc + "CreateIncident":      everyone,
	svc + "ListIncidents":       everyone,
	svc + "MediateIncident":     coordinators,
	svc + "ResolveIncident":     coordinators,
}

// Server implements contractsv1.ContractServiceServer.
type Server struct {
	contractsv1.UnimplementedContractServiceServer
	app *app.App
}

// New returns the gRPC handlers over the use cases.
func New(a *app.App) *Server { return &Server{app: a} }

func contractCall(v postgres.View, err error) (*contractsv1.Contract, error) {
	if err != nil {
		return nil, err
	}
	return contractToProto(v), nil
}

// ListContracts returns one page of contracts.
func (s *Server) ListContracts(ctx context.Context, in *contractsv1.ListContractsRequest) (*contractsv1.ListContractsResponse, error) {
	list, next, err := s.app.ListContracts(ctx, app.ContractQuery{
		Status: contractStatusFromProto(in.GetStatus()), MatchID: in.GetMatchId(),
		Page: page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()},
	})
	if err != nil {
		return nil, err
	}
	out := &contractsv1.ListContractsResponse{NextPageToken: next, Contracts: make([]*contractsv1.Contract, 0, len(list))}
	for _, v := range list {
		out.Contracts = append(out.Contracts, contractToProto(v))
	}
	return out, nil
}

// GetContract returns one contract.
func (s *Server) GetContract(ctx context.Context, in *contractsv1.GetContractRequest) (*contractsv1.Contract, error) {
	return contractCall(s.app.GetContract(ctx, in.GetId()))
}

// UpdateContract changes the masked terms of a draft.
func (s *Server) UpdateContract(ctx context.Context, in *contractsv1.UpdateContractRequest) (*contractsv1.Contract, error) {
	change, err := termsChange(in)
	if err != nil {
		return nil, err
	}
	return contractCall(s.app.UpdateContract(ctx, in.GetContract().GetId(), in.GetContract().GetEtag(), change))
}

// SendContract sends a draft for signature.
func (s *Server) SendContract(ctx context.Context, in *contractsv1.SendContractRequest) (*contractsv1.Contract, error) {
	return contractCall(s.app.SendContract(ctx, in.GetId(), in.GetEtag()))
}

// SignContract records a signature.
func (s *Server) SignContract(ctx context.Context, in *contractsv1.SignContractRequest) (*contractsv1.Contract, error) {
	return contractCall(s.app.SignContract(ctx, in.GetId(), in.GetEtag(), partyFromProto(in.GetParty()), methodFromProto(in.GetMethod())))
}

// TerminateContract gives notice.
func (s *Server) TerminateContract(ctx context.Context, in *contractsv1.TerminateContractRequest) (*contractsv1.Contract, error) {
	var v errs.Violations
	effective := date.Field(&v, "effectiveDate", in.GetEffectiveDate())
	if err := v.Err(); err != nil {
		return nil, err
	}
	return contractCall(s.app.TerminateContract(ctx, in.GetId(), in.GetEtag(), app.Terminate{
		Reason: in.GetReason(), EffectiveDate: effective, Party: partyFromProto(in.GetParty()),
		Category: terminationCategory(in.GetReasonCategory()),
	}))
}

// RenewContract extends an active contract.
func (s *Server) RenewContract(ctx context.Context, in *contractsv1.RenewContractRequest) (*contractsv1.Contract, error) {
	var v errs.Violations
	end := date.Field(&v, "endDate", in.GetEndDate())
	if err := v.Err(); err != nil {
		return nil, err
	}
	return contractCall(s.app.RenewContract(ctx, in.GetId(), in.GetEtag(), end))
}

// CancelContract cancels a contract before the stay.
func (s *Server) CancelContract(ctx context.Context, in *contractsv1.CancelContractRequest) (*contractsv1.Contract, error) {
	return contractCall(s.app.CancelContract(ctx, in.GetId(), in.GetEtag(), in.GetReason()))
}

// ReopenContract takes a contract awaiting signatures back to DRAFT.
func (s *Server) ReopenContract(ctx context.Context, in *contractsv1.ReopenContractRequest) (*contractsv1.Contract, error) {
	return contractCall(s.app.ReopenContract(ctx, in.GetId(), in.GetEtag()))
}

// GetContractDocument renders a contract as a PDF.
func (s *Server) GetContractDocument(ctx context.Context, in *contractsv1.GetContractDocumentRequest) (*contractsv1.ContractDocument, error) {
	doc, err := s.app.ContractDocument(ctx, in.GetId(), in.GetLanguage())
	if err != nil {
		return nil, err
	}
	return &contractsv1.ContractDocument{ContentType: document.ContentType, Filename: doc.Filename, Content: doc.Content}, nil
}

// ListCheckins returns one page of the agenda.
func (s *Server) ListCheckins(ctx context.Context, in *contractsv1.ListCheckinsRequest) (*contractsv1.ListCheckinsResponse, error) {
	var v errs.Violations
	before := date.Field(&v, "dueBefore", in.GetDueBefore())
	if err := v.Err(); err != nil {
		return nil, err
	}
	list, next, err := s.app.ListCheckins(ctx, app.CheckinQuery{
		Status: checkinStatusFromProto(in.GetStatus()), DueBefore: before, ContractID: in.GetContractId(),
		Page: page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()},
	})
	if err != nil {
		return nil, err
	}
	out := &contractsv1.ListCheckinsResponse{NextPageToken: next, Checkins: make([]*contractsv1.Checkin, 0, len(list))}
	for _, c := range list {
		out.Checkins = append(out.Checkins, checkinToProto(c))
	}
	return out, nil
}

// CompleteCheckin records a check-in.
func (s *Server) CompleteCheckin(ctx context.Context, in *contractsv1.CompleteCheckinRequest) (*contractsv1.Checkin, error) {
	v, err := s.app.CompleteCheckin(ctx, in.GetId(), in.GetEtag(), checkin.Report{
		Method:           checkin.Method(protoenum.Name(in.GetMethod(), contractsv1.CheckinMethod_name, "CHECKIN_METHOD_")),
		HostWellbeing:    int(in.GetHostWellbeing()),
		StudentWellbeing: int(in.GetStudentWellbeing()),
		Notes:            in.GetNotes(),
		Concern:          in.GetConcern(),
	})
	if err != nil {
		return nil, err
	}
	return checkinToProto(v), nil
}

// CreateIncident reports an incident.
func (s *Server) CreateIncident(ctx context.Context, in *contractsv1.CreateIncidentRequest) (*contractsv1.Incident, error) {
	return incidentCall(s.app.CreateIncident(ctx, in.GetContractId(), incident.Report{
		Severity:    incident.Severity(protoenum.Name(in.GetSeverity(), contractsv1.Severity_name, "SEVERITY_")),
		Category:    in.GetCategory(),
		Description: in.GetDescription(),
	}, in.GetRequestId()))
}

// ListIncidents returns one page of incidents.
func (s *Server) ListIncidents(ctx context.Context, in *contractsv1.ListIncidentsRequest) (*contractsv1.ListIncidentsResponse, error) {
	list, next, err := s.app.ListIncidents(ctx, app.IncidentQuery{
		Status: incidentStatusFromProto(in.GetStatus()), ContractID: in.GetContractId(),
		Page: page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()},
	})
	if err != nil {
		return nil, err
	}
	out := &contractsv1.ListIncidentsResponse{NextPageToken: next, Incidents: make([]*contractsv1.Incident, 0, len(list))}
	for _, i := range list {
		out.Incidents = append(out.Incidents, incidentToProto(i))
	}
	return out, nil
}

// MediateIncident starts a mediation.
func (s *Server) MediateIncident(ctx context.Context, in *contractsv1.MediateIncidentRequest) (*contractsv1.Incident, error) {
	return incidentCall(s.app.MediateIncident(ctx, in.GetId(), in.GetEtag()))
}

// ResolveIncident resolves an incident.
func (s *Server) ResolveIncident(ctx context.Context, in *contractsv1.ResolveIncidentRequest) (*contractsv1.Incident, error) {
	return incidentCall(s.app.ResolveIncident(ctx, in.GetId(), in.GetEtag(), in.GetResolution()))
}

func incidentCall(i *incident.Incident, err error) (*contractsv1.Incident, error) {
	if err != nil {
		return nil, err
	}
	return incidentToProto(i), nil
}

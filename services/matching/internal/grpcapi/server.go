// Package grpcapi is the matching service's gRPC face: it translates between proto messages
// and the use cases, and declares who may call each method.
package grpcapi

import (
	"context"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

const svc = "/cohabit.matching.v1.MatchingService/"

var (
	coordinator = grpcx.Roles(auth.RoleCoordinator)
	parties     = grpcx.Roles(auth.RoleHost, auth.RoleStudent, auth.RoleCoordinator)
)

// Policy is who may call each method at all; the use cases then check the record (own
// programme, own side of a match).
var Policy = grpcx.Policy{
	svc + "ListCandidates":         coordinator,
	svc + "ListSuggestions":        grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
	svc + "GetCompatibility":       coordinator,
	svc + "CreateMatch":            coordinator,
	svc + "GetMatch":               parties,
	svc + "ListMatches":            parties,
	svc + "ScheduleMeeting":        coordinator,
	svc + "AcceptMatch":            parties,
	svc + "DeclineMatch":           parties,
	svc + "ApproveMatch":           coordinator,
	svc + "CancelMatch":            coordinator,
	svc + "CreateAllocation":       coordinator,
	svc + "GetAllocation":          coordinator,
	svc + "ListAllocations":        coordinator,
	svc + "ProposeAllocationPairs": coordinator,
}

// Server implements matchingv1.MatchingServiceServer.
type Server struct {
	matchingv1.UnimplementedMatchingServiceServer
	app *app.App
}

// New returns the gRPC handlers over the use cases.
func New(a *app.App) *Server { return &Server{app: a} }

func required(v *errs.Violations, field, value string) {
	v.Check(value != "", field, "is required")
}

// ListCandidates ranks a room's candidates.
func (s *Server) ListCandidates(ctx context.Context, in *matchingv1.ListCandidatesRequest) (*matchingv1.ListCandidatesResponse, error) {
	cs, next, err := s.app.ListCandidates(ctx, in.GetRoomId(), int(in.GetPageSize()), in.GetPageToken())
	if err != nil {
		return nil, err
	}
	out := &matchingv1.ListCandidatesResponse{Candidates: make([]*matchingv1.Candidate, 0, len(cs)), NextPageToken: next}
	for _, c := range cs {
		km, unknown := distance(c.Result.DistanceKm)
		out.Candidates = append(out.Candidates, &matchingv1.Candidate{
			StudentId: c.Seeker.Student.ID, ApplicationId: c.Seeker.Application.ID, Score: c.Result.Score,
			Breakdown: breakdownToProto(c.Result.Breakdown), Student: summaryToProto(c.Seeker.Student.Summary()),
			DistanceKm: km, DistanceUnknown: unknown,
		})
	}
	return out, nil
}

// ListSuggestions ranks rooms for a student.
func (s *Server) ListSuggestions(ctx context.Context, in *matchingv1.ListSuggestionsRequest) (*matchingv1.ListSuggestionsResponse, error) {
	ss, next, err := s.app.ListSuggestions(ctx, in.GetStudentId(), int(in.GetPageSize()), in.GetPageToken())
	if err != nil {
		return nil, err
	}
	out := &matchingv1.ListSuggestionsResponse{Suggestions: make([]*matchingv1.Suggestion, 0, len(ss)), NextPageToken: next}
	for _, x := range ss {
		r := x.Offer.Room
		km, unknown := distance(x.Result.DistanceKm)
		out.Suggestions = append(out.Suggestions, &matchingv1.Suggestion{
			RoomId: r.ID, Score: x.Result.Score, Breakdown: breakdownToProto(x.Result.Breakdown), Title: r.Title, City: r.City,
			MonthlyContributionCents: int32(r.ContributionCents), AreaM2: r.AreaM2, DistanceKm: km, DistanceUnknown: unknown,
			Host: summaryToProto(x.Offer.Host.Summary()),
		})
	}
	return out, nil
}

// GetCompatibility explains one pair.
func (s *Server) GetCompatibility(ctx context.Context, in *matchingv1.GetCompatibilityRequest) (*matchingv1.Compatibility, error) {
	var v errs.Violations
	required(&v, "roomId", in.GetRoomId())
	required(&v, "studentId", in.GetStudentId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	c, err := s.app.GetCompatibility(ctx, in.GetRoomId(), in.GetStudentId())
	if err != nil {
		return nil, err
	}
	return &matchingv1.Compatibility{
		RoomId: c.RoomID, StudentId: c.StudentID, Score: c.Result.Score,
		Breakdown: breakdownToProto(c.Result.Breakdown), BrokenConstraints: brokenToProto(c.Result.Broken),
	}, nil
}

// CreateMatch proposes a room to a student.
func (s *Server) CreateMatch(ctx context.Context, in *matchingv1.CreateMatchRequest) (*matchingv1.Match, error) {
	var v errs.Violations
	required(&v, "roomId", in.GetRoomId())
	required(&v, "studentId", in.GetStudentId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	return matchCall(s.app.CreateMatch(ctx, in.GetRoomId(), in.GetStudentId(), in.GetRequestId()))
}

// GetMatch returns one match.
func (s *Server) GetMatch(ctx context.Context, in *matchingv1.GetMatchRequest) (*matchingv1.Match, error) {
	return matchCall(s.app.GetMatch(ctx, in.GetId()))
}

// ListMatches returns one page of matches.
func (s *Server) ListMatches(ctx context.Context, in *matchingv1.ListMatchesRequest) (*matchingv1.ListMatchesResponse, error) {
	ms, next, err := s.app.ListMatches(ctx, app.MatchQuery{
		Status:    match.Status(protoenum.Name(in.GetStatus(), matchingv1.MatchStatus_name, "MATCH_STATUS_")),
		RoomID:    in.GetRoomId(),
		StudentID: in.GetStudentId(),
		Page:      page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()},
	})
	if err != nil {
		return nil, err
	}
	out := &matchingv1.ListMatchesResponse{NextPageToken: next, Matches: make([]*matchingv1.Match, 0, len(ms))}
	for _, m := range ms {
		out.Matches = append(out.Matches, matchToProto(m))
	}
	return out, nil
}

// ScheduleMeeting sets the meeting time.
func (s *Server) ScheduleMeeting(ctx context.Context, in *matchingv1.ScheduleMeetingRequest) (*matchingv1.Match, error) {
	if in.GetMeetingAt() == nil {
		return nil, errs.Invalid(errs.Violation{Field: "meetingAt", Description: "is required"})
	}
	if err := in.GetMeetingAt().CheckValid(); err != nil {
		return nil, errs.Invalid(errs.Violation{Field: "meetingAt", Description: "is not a valid instant"})
	}
	return matchCall(s.app.ScheduleMeeting(ctx, in.GetId(), in.GetEtag(), in.GetMeetingAt().AsTime()))
}

func party(p matchingv1.Party) (match.Party, error) {
	if p == matchingv1.Party_PARTY_UNSPECIFIED {
		return "", nil
	}
	mp := partyFromProto(p)
	if mp != match.PartyHost && mp != match.PartyStudent {
		return "", errs.Invalid(errs.Violation{Field: "party", Description: "must be PARTY_HOST or PARTY_STUDENT"})
	}
	return mp, nil
}

// AcceptMatch records a party's yes.
func (s *Server) AcceptMatch(ctx context.Context, in *matchingv1.AcceptMatchRequest) (*matchingv1.Match, error) {
	p, err := party(in.GetParty())
	if err != nil {
		return nil, err
	}
	return matchCall(s.app.AcceptMatch(ctx, in.GetId(), in.GetEtag(), p))
}

// DeclineMatch records a party's no.
func (s *Server) DeclineMatch(ctx context.Context, in *matchingv1.DeclineMatchRequest) (*matchingv1.Match, error) {
	p, err := party(in.GetParty())
	if err != nil {
		return nil, err
	}
	return matchCall(s.app.DeclineMatch(ctx, in.GetId(), in.GetEtag(), p, in.GetReason()))
}

// ApproveMatch approves an accepted match.
func (s *Server) ApproveMatch(ctx context.Context, in *matchingv1.ApproveMatchRequest) (*matchingv1.Match, error) {
	return matchCall(s.app.ApproveMatch(ctx, in.GetId(), in.GetEtag()))
}

// CancelMatch cancels a match.
func (s *Server) CancelMatch(ctx context.Context, in *matchingv1.CancelMatchRequest) (*matchingv1.Match, error) {
	return matchCall(s.app.CancelMatch(ctx, in.GetId(), in.GetEtag(), in.GetReason()))
}

func matchCall(m *match.Match, err error) (*matchingv1.Match, error) {
	if err != nil {
		return nil, err
	}
	return matchToProto(m), nil
}

// CreateAllocation runs an allocation.
func (s *Server) CreateAllocation(ctx context.Context, in *matchingv1.CreateAllocationRequest) (*matchingv1.Allocation, error) {
	var v errs.Violations
	required(&v, "programmeId", in.GetProgrammeId())
	if err := v.Err(); err != nil {
		return nil, err
	}
	a, err := s.app.CreateAllocation(ctx, in.GetProgrammeId(), keysFromProto(in.GetLockedPairs()), in.GetRequestId())
	if err != nil {
		return nil, err
	}
	return allocationToProto(a), nil
}

// GetAllocation returns one run.
func (s *Server) GetAllocation(ctx context.Context, in *matchingv1.GetAllocationRequest) (*matchingv1.Allocation, error) {
	a, err := s.app.GetAllocation(ctx, in.GetId())
	if err != nil {
		return nil, err
	}
	return allocationToProto(a), nil
}

// ListAllocations returns one page of runs, newest first.
func (s *Server) ListAllocations(ctx context.Context, in *matchingv1.ListAllocationsRequest) (*matchingv1.ListAllocationsResponse, error) {
	runs, next, err := s.app.ListAllocations(ctx, page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &matchingv1.ListAllocationsResponse{NextPageToken: next, Allocations: make([]*matchingv1.Allocation, 0, len(runs))}
	for _, r := range runs {
		out.Allocations = append(out.Allocations, allocationToProto(r))
	}
	return out, nil
}

// ProposeAllocationPairs turns chosen pairs of a run into PROPOSED matches.
func (s *Server) ProposeAllocationPairs(ctx context.Context, in *matchingv1.ProposeAllocationPairsRequest) (*matchingv1.ProposeAllocationPairsResponse, error) {
	ms, err := s.app.ProposeAllocationPairs(ctx, in.GetId(), keysFromProto(in.GetPairs()))
	if err != nil {
		return nil, err
	}
	out := &matchingv1.ProposeAllocationPairsResponse{Matches: make([]*matchingv1.Match, 0, len(ms))}
	for _, m := range ms {
		out.Matches = append(out.Matches, matchToProto(m))
	}
	return out, nil
}

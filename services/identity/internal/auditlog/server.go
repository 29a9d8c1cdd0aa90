package auditlog

import (
	"context"
	"strings"

	"google.golang.org/protobuf/types/known/timestamppb"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/audit"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

// Policy: the programme's coordinators list a person's trail (SPEC §9); an admin, who has
// no access to persons, does not. No method changes the trail.
var Policy = grpcx.Policy{
	identityv1.AuditService_ListAuditEvents_FullMethodName: grpcx.Roles(auth.RoleCoordinator),
}

// ErrSubjectNotFound: no person of the caller's programme has this id.
var ErrSubjectNotFound = errs.NotFound("SUBJECT_NOT_FOUND", "no such host or student")

// Server serves identityv1.AuditService.
type Server struct {
	identityv1.UnimplementedAuditServiceServer
	log *Log
}

// NewServer returns the handlers over l.
func NewServer(l *Log) *Server { return &Server{log: l} }

// ListAuditEvents lists a person's trail, newest first, for a coordinator of their programme.
func (s *Server) ListAuditEvents(ctx context.Context, in *identityv1.ListAuditEventsRequest) (*identityv1.ListAuditEventsResponse, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return nil, errs.Unauthenticated("UNAUTHENTICATED", "sign in first")
	}
	if in.GetSubjectId() == "" || !ids.Valid(in.GetSubjectId()) {
		return nil, errs.Invalid(errs.Violation{Field: "subjectId", Description: "must be the id of a host or a student"})
	}
	after, limit, err := page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()}.Bounds()
	if err != nil {
		return nil, err
	}
	programme, _, found, err := s.log.Subject(ctx, in.GetSubjectId())
	if err != nil {
		return nil, err
	}
	if !found || !p.CoordinatesProgramme(programme) {
		return nil, ErrSubjectNotFound
	}
	entries, err := s.log.List(ctx, in.GetSubjectId(), after, limit)
	if err != nil {
		return nil, err
	}
	out := &identityv1.ListAuditEventsResponse{AuditEvents: make([]*identityv1.AuditEvent, 0, len(entries)),
		NextPageToken: page.Next(entries, limit, func(e Entry) string { return e.ID })}
	for _, e := range entries {
		out.AuditEvents = append(out.AuditEvents, &identityv1.AuditEvent{
			Time: timestamppb.New(e.Time), ActorId: e.ActorID, ActorRole: roleOf(e.ActorRole), Action: actionOf(e.Action),
			SubjectId: e.SubjectID, SubjectType: "SUBJECT_TYPE_" + strings.ToUpper(e.SubjectKind), Method: e.Method,
		})
	}
	return out, nil
}

func roleOf(r string) typev1.Role {
	switch auth.Role(r) {
	case auth.RoleAdmin:
		return typev1.Role_ROLE_ADMIN
	case auth.RoleCoordinator:
		return typev1.Role_ROLE_COORDINATOR
	}
	return typev1.Role_ROLE_UNSPECIFIED
}

func actionOf(a string) identityv1.AuditAction {
	if a == audit.ActionRead {
		return identityv1.AuditAction_AUDIT_ACTION_READ
	}
	return identityv1.AuditAction_AUDIT_ACTION_CHANGE
}

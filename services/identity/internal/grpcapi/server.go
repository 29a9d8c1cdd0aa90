// Package grpcapi serves the IdentityService: it translates between protobuf and the domain and
// declares who may call each method. It decides nothing itself.
package grpcapi

import (
	"context"
	"strings"
	"unicode"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/timestamppb"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/identity/internal/convert"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Server implements identityv1.IdentityServiceServer over the use cases.
type Server struct {
	identityv1.UnimplementedIdentityServiceServer
	app *app.App
}

// New returns the handlers of a.
func New(a *app.App) *Server { return &Server{app: a} }

// Register adds the service to r.
func (s *Server) Register(r grpc.ServiceRegistrar) { identityv1.RegisterIdentityServiceServer(r, s) }

// Login implements identityv1.IdentityServiceServer.
func (s *Server) Login(ctx context.Context, req *identityv1.LoginRequest) (*identityv1.LoginResponse, error) {
	sess, err := s.app.Login(ctx, req.GetEmail(), req.GetPassword())
	if err != nil {
		return nil, err
	}
	return &identityv1.LoginResponse{
		AccessToken: sess.AccessToken,
		ExpiresAt:   timestamppb.New(sess.ExpiresAt),
		Account:     convert.Account(sess.Account),
	}, nil
}

// Signup implements identityv1.IdentityServiceServer.
func (s *Server) Signup(ctx context.Context, req *identityv1.SignupRequest) (*identityv1.Account, error) {
	a, err := s.app.Signup(ctx, app.NewAccount{
		Email: req.GetEmail(), Password: req.GetPassword(), Role: convert.RoleFrom(req.GetRole()), ProgrammeID: req.GetProgrammeId(),
		InviteCode: req.GetInviteCode(),
	})
	if err != nil {
		return nil, err
	}
	return convert.Account(a), nil
}

// InviteHost implements identityv1.IdentityServiceServer.
func (s *Server) InviteHost(ctx context.Context, req *identityv1.InviteHostRequest) (*identityv1.Invitation, error) {
	inv, err := s.app.Invite(ctx, account.RecordHost, req.GetId())
	if err != nil {
		return nil, err
	}
	return convert.Invitation(inv), nil
}

// InviteStudent implements identityv1.IdentityServiceServer.
func (s *Server) InviteStudent(ctx context.Context, req *identityv1.InviteStudentRequest) (*identityv1.Invitation, error) {
	inv, err := s.app.Invite(ctx, account.RecordStudent, req.GetId())
	if err != nil {
		return nil, err
	}
	return convert.Invitation(inv), nil
}

// GetInvitationCode implements identityv1.IdentityServiceServer.
func (s *Server) GetInvitationCode(ctx context.Context, req *identityv1.GetInvitationCodeRequest) (*identityv1.InvitationCode, error) {
	inv, err := s.app.InvitationCode(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return &identityv1.InvitationCode{
		InvitationId: inv.ID, Code: inv.Code, ProgrammeId: inv.ProgrammeID, RecordKind: convert.RecordKind(inv.Kind),
		RecordId: inv.RecordID, ExpireTime: timestamppb.New(inv.ExpireTime),
	}, nil
}

// GetAccount implements identityv1.IdentityServiceServer.
func (s *Server) GetAccount(ctx context.Context, req *identityv1.GetAccountRequest) (*identityv1.Account, error) {
	a, err := s.app.GetAccount(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return convert.Account(a), nil
}

// GetMe implements identityv1.IdentityServiceServer.
func (s *Server) GetMe(ctx context.Context, _ *identityv1.GetMeRequest) (*identityv1.Account, error) {
	a, err := s.app.GetMe(ctx)
	if err != nil {
		return nil, err
	}
	return convert.Account(a), nil
}

// CreateAccount implements identityv1.IdentityServiceServer.
func (s *Server) CreateAccount(ctx context.Context, req *identityv1.CreateAccountRequest) (*identityv1.Account, error) {
	a, err := s.app.CreateAccount(ctx, app.NewAccount{
		Email: req.GetEmail(), Password: req.GetPassword(), Role: convert.RoleFrom(req.GetRole()), ProgrammeID: req.GetProgrammeId(),
	})
	if err != nil {
		return nil, err
	}
	return convert.Account(a), nil
}

// ListProgrammes implements identityv1.IdentityServiceServer.
func (s *Server) ListProgrammes(ctx context.Context, req *identityv1.ListProgrammesRequest) (*identityv1.ListProgrammesResponse, error) {
	page, err := s.app.ListProgrammes(ctx, int(req.GetPageSize()), req.GetPageToken())
	if err != nil {
		return nil, err
	}
	resp := &identityv1.ListProgrammesResponse{NextPageToken: page.NextPageToken}
	for _, p := range page.Programmes {
		resp.Programmes = append(resp.Programmes, convert.Programme(p))
	}
	return resp, nil
}

// GetProgramme implements identityv1.IdentityServiceServer.
func (s *Server) GetProgramme(ctx context.Context, req *identityv1.GetProgrammeRequest) (*identityv1.Programme, error) {
	p, err := s.app.GetProgramme(ctx, req.GetId())
	if err != nil {
		return nil, err
	}
	return convert.Programme(p), nil
}

// CreateProgramme implements identityv1.IdentityServiceServer.
func (s *Server) CreateProgramme(ctx context.Context, req *identityv1.CreateProgrammeRequest) (*identityv1.Programme, error) {
	if req.GetProgramme() == nil {
		return nil, errs.Invalid(errs.Violation{Field: "programme", Description: "is required"})
	}
	p, err := s.app.CreateProgramme(ctx, app.NewProgramme{
		ID:        req.GetProgramme().GetId(),
		Fields:    convert.ProgrammeFields(req.GetProgramme()),
		RequestID: req.GetRequestId(),
	})
	if err != nil {
		return nil, err
	}
	return convert.Programme(p), nil
}

// UpdateProgramme implements identityv1.IdentityServiceServer.
func (s *Server) UpdateProgramme(ctx context.Context, req *identityv1.UpdateProgrammeRequest) (*identityv1.Programme, error) {
	if req.GetProgramme() == nil {
		return nil, errs.Invalid(errs.Violation{Field: "programme", Description: "is required"})
	}
	p, err := s.app.UpdateProgramme(ctx, app.ProgrammeChange{
		ID:     req.GetProgramme().GetId(),
		Etag:   req.GetProgramme().GetEtag(),
		Fields: convert.ProgrammeFields(req.GetProgramme()),
		Paths:  maskPaths(req.GetUpdateMask().GetPaths()),
	})
	if err != nil {
		return nil, err
	}
	return convert.Programme(p), nil
}

// identifying fields are not changed by an update, but a client that sends the resource back
// whole (and grpc-gateway, which builds the mask from the body's keys) names them: skip them.
var identifying = map[string]bool{"id": true, "etag": true, "create_time": true, "update_time": true}

// maskPaths turns protobuf field-mask paths (snake_case) into the domain's lowerCamelCase, and
// "*" into every changeable field.
func maskPaths(paths []string) []string {
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		switch {
		case identifying[p]:
		case p == "*":
			out = append(out, programme.PathName, programme.PathTerritory, programme.PathPhone, programme.PathEmail, programme.PathSettings)
		default:
			segs := strings.Split(p, ".")
			for i, seg := range segs {
				segs[i] = lowerCamel(seg)
			}
			out = append(out, strings.Join(segs, "."))
		}
	}
	return out
}

func lowerCamel(s string) string {
	var b strings.Builder
	up := false
	for _, r := range s {
		if r == '_' {
			up = true
			continue
		}
		if up {
			r = unicode.ToUpper(r)
			up = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

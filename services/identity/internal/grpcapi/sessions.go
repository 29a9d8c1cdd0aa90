package grpcapi

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// Logout ends the caller's session in every service.
func (s *Server) Logout(ctx context.Context, _ *identityv1.LogoutRequest) (*identityv1.LogoutResponse, error) {
	if err := s.app.Logout(ctx); err != nil {
		return nil, err
	}
	return &identityv1.LogoutResponse{}, nil
}

// RevokeSessions ends every session of an account.
func (s *Server) RevokeSessions(ctx context.Context, in *identityv1.RevokeSessionsRequest) (*identityv1.RevokeSessionsResponse, error) {
	if !ids.Valid(in.GetAccountId()) {
		return nil, errs.Invalid(errs.Violation{Field: "accountId", Description: "is not an account id"})
	}
	at, err := s.app.RevokeSessions(ctx, in.GetAccountId())
	if err != nil {
		return nil, err
	}
	return &identityv1.RevokeSessionsResponse{RevokeTime: timestamppb.New(at)}, nil
}

package grpcapi

import (
	"context"

	"google.golang.org/protobuf/types/known/timestamppb"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/identity/internal/convert"
)

// RefreshToken implements identityv1.IdentityServiceServer.
func (s *Server) RefreshToken(ctx context.Context, _ *identityv1.RefreshTokenRequest) (*identityv1.LoginResponse, error) {
	sess, err := s.app.RefreshToken(ctx)
	if err != nil {
		return nil, err
	}
	return &identityv1.LoginResponse{
		AccessToken: sess.AccessToken,
		ExpiresAt:   timestamppb.New(sess.ExpiresAt),
		Account:     convert.Account(sess.Account),
	}, nil
}

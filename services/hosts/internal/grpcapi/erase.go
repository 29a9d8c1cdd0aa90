package grpcapi

import (
	"context"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// EraseHost erases a host (SPEC §9).
func (s *Server) EraseHost(ctx context.Context, in *hostsv1.EraseHostRequest) (*hostsv1.EraseHostResponse, error) {
	if err := s.app.EraseHost(ctx, in.GetId()); err != nil {
		return nil, err
	}
	return &hostsv1.EraseHostResponse{}, nil
}

// WithdrawHostConsent records a host's withdrawal of consent: an erasure (SPEC §9).
func (s *Server) WithdrawHostConsent(ctx context.Context, in *hostsv1.WithdrawHostConsentRequest) (*hostsv1.WithdrawHostConsentResponse, error) {
	if err := s.app.EraseHost(ctx, in.GetId()); err != nil {
		return nil, err
	}
	return &hostsv1.WithdrawHostConsentResponse{}, nil
}

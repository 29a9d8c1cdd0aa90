package grpcx

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/cohabit/cohabit/services/platform/auth"
)

// Dial returns a client connection to target. Connections are lazy and shared: make one per
// backend and reuse it. Traffic is plaintext: services talk inside one trusted network, and
// TLS is the deployment's mesh's job (deploy/).
func Dial(target string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	opts = append([]grpc.DialOption{grpc.WithTransportCredentials(insecure.NewCredentials())}, opts...)
	cc, err := grpc.NewClient(target, opts...)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", target, err)
	}
	return cc, nil
}

// serviceToken presents a service token on every call of a connection.
type serviceToken struct{ issuer *auth.ServiceIssuer }

func (s serviceToken) GetRequestMetadata(context.Context, ...string) (map[string]string, error) {
	tok, err := s.issuer.Token()
	if err != nil {
		return nil, err
	}
	return map[string]string{"authorization": "Bearer " + tok}, nil
}

// RequireTransportSecurity is false for the reason Dial gives.
func (serviceToken) RequireTransportSecurity() bool { return false }

// DialAsService returns a connection to target on which every call carries a service token
// from issuer, for the read-only calls one service makes to another.
func DialAsService(target string, issuer *auth.ServiceIssuer, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	return Dial(target, append([]grpc.DialOption{grpc.WithPerRPCCredentials(serviceToken{issuer})}, opts...)...)
}

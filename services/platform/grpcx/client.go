package grpcx

import (
	"context"
	"fmt"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/resolver"
	"google.golang.org/grpc/resolver/manual"

	"github.com/cohabit/cohabit/services/platform/auth"
)

// Dial returns a client connection to target. Connections are lazy and shared: make one per
// backend and reuse it. Traffic is plaintext: services talk inside one trusted network, and
// TLS is the deployment's mesh's job (deploy/).
//
// A connection balances calls round robin over every address target resolves to (each
// replica of a service: a Kubernetes headless service's "dns:///hosts:9102", or a list
// "127.0.0.1:9102,127.0.0.1:9202" as the local cluster gives), skips a replica whose health
// check says it is not serving (its database or NATS is gone, or it is shutting down), and
// pings idle connections so that a replica that vanished without closing them (a killed node)
// is noticed within seconds, not at the next call's timeout.
func Dial(target string, opts ...grpc.DialOption) (*grpc.ClientConn, error) {
	base := []grpc.DialOption{
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultServiceConfig(clientServiceConfig),
		grpc.WithKeepaliveParams(keepalive.ClientParameters{Time: KeepaliveTime, Timeout: 5 * time.Second, PermitWithoutStream: true}),
		// A client span per call, whose trace context travels in the call's metadata.
		grpc.WithStatsHandler(otelgrpc.NewClientHandler(traceOptions()...)),
	}
	if addrs := strings.Split(target, ","); len(addrs) > 1 && !strings.Contains(target, "://") {
		r := manual.NewBuilderWithScheme("cohabit-list")
		state := resolver.State{}
		for _, a := range addrs {
			state.Addresses = append(state.Addresses, resolver.Address{Addr: strings.TrimSpace(a)})
		}
		r.InitialState(state)
		base = append(base, grpc.WithResolvers(r))
		target = "cohabit-list:///" + strings.ReplaceAll(target, ",", "_")
	}
	cc, err := grpc.NewClient(target, append(base, opts...)...)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", target, err)
	}
	return cc, nil
}

// KeepaliveTime is how often a client pings an idle connection; servers accept pings that
// often (NewServer's enforcement policy).
const KeepaliveTime = 10 * time.Second

// clientServiceConfig: round robin over the resolved addresses, and the health service's
// overall status ("") checked on each, so that a replica that is not ready gets no call.
const clientServiceConfig = `{"loadBalancingConfig":[{"round_robin":{}}],"healthCheckConfig":{"serviceName":""}}`

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

package service_test

import (
	"context"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// seen records the incoming metadata of the last call, for tests that check what the gateway
// forwards.
type seen struct {
	mu    sync.Mutex
	md    metadata.MD
	calls atomic.Int32
}

func (s *seen) record(ctx context.Context) {
	md, _ := metadata.FromIncomingContext(ctx)
	s.mu.Lock()
	s.md = md.Copy()
	s.mu.Unlock()
	s.calls.Add(1)
}

func (s *seen) last() metadata.MD {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.md
}

// fakeIdentity answers GetMe with a fixed account and fails Login the way the identity
// service does on bad credentials.
type fakeIdentity struct {
	identityv1.UnimplementedIdentityServiceServer
	seen
}

func (f *fakeIdentity) GetMe(ctx context.Context, _ *identityv1.GetMeRequest) (*identityv1.Account, error) {
	f.record(ctx)
	return &identityv1.Account{Id: "acc-1", Email: "jeanne@example.org", Role: typev1.Role_ROLE_HOST, ProgrammeId: "prog-1"}, nil
}

func (f *fakeIdentity) Login(ctx context.Context, req *identityv1.LoginRequest) (*identityv1.LoginResponse, error) {
	f.record(ctx)
	return nil, grpcx.StatusOf(errs.Unauthenticated("BAD_CREDENTIALS", "wrong email or password")).Err()
}

// fakeHosts knows one host, "h-1"; CreateHost validates like the domain does.
type fakeHosts struct {
	hostsv1.UnimplementedHostServiceServer
	seen
}

func (f *fakeHosts) GetHost(ctx context.Context, req *hostsv1.GetHostRequest) (*hostsv1.Host, error) {
	f.record(ctx)
	if req.GetId() != "h-1" {
		return nil, grpcx.StatusOf(errs.NotFound("HOST_NOT_FOUND", "host %s not found", req.GetId())).Err()
	}
	return &hostsv1.Host{Id: "h-1", DisplayName: "Jeanne", Status: hostsv1.HostStatus_HOST_STATUS_VERIFIED}, nil
}

func (f *fakeHosts) CreateHost(ctx context.Context, req *hostsv1.CreateHostRequest) (*hostsv1.Host, error) {
	f.record(ctx)
	var v errs.Violations
	v.Check(req.GetHost().GetDisplayName() != "", "displayName", "is required")
	v.Check(req.GetHost().GetAddress().GetPostcode() != "", "address.postcode", "is required")
	if err := v.Err(); err != nil {
		e, _ := errs.As(err)
		return nil, grpcx.StatusOf(e).Err()
	}
	h := req.GetHost()
	h.Id = "h-2"
	h.Status = hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION
	return h, nil
}

// backend is a real gRPC server on a random local port with the health service, as every
// Cohabit service has.
type backend struct {
	addr   string
	server *grpc.Server
}

func startBackend(t *testing.T, register func(*grpc.Server)) *backend {
	t.Helper()
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	s := grpc.NewServer()
	register(s)
	healthpb.RegisterHealthServer(s, health.NewServer())
	go func() { _ = s.Serve(lis) }()
	t.Cleanup(s.Stop)
	return &backend{addr: lis.Addr().String(), server: s}
}

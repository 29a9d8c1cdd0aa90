package service_test

import (
	"context"
	"crypto/ed25519"
	"net"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/identity/service"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// recordServices stands for the hosts and students services: it knows one host and one
// student of the demo programme, and counts the calls, each of which must carry a token.
type recordServices struct {
	hostsv1.UnimplementedHostServiceServer
	studentsv1.UnimplementedStudentServiceServer
	hostID, studentID string
	mu                sync.Mutex
	calls             int
	unauthenticated   int
}

func (f *recordServices) called(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("authorization"); len(v) == 0 || !strings.HasPrefix(v[0], "Bearer ") {
		f.unauthenticated++
	}
}

func (f *recordServices) GetHost(ctx context.Context, req *hostsv1.GetHostRequest) (*hostsv1.Host, error) {
	f.called(ctx)
	if req.GetId() != f.hostID {
		return nil, status.Error(codes.NotFound, "no such host")
	}
	return &hostsv1.Host{Id: f.hostID, ProgrammeId: demoID, DisplayName: "Jeanne", Assisted: true}, nil
}

func (f *recordServices) GetStudent(ctx context.Context, req *studentsv1.GetStudentRequest) (*studentsv1.Student, error) {
	f.called(ctx)
	if req.GetId() != f.studentID {
		return nil, status.Error(codes.NotFound, "no such student")
	}
	return &studentsv1.Student{Id: f.studentID, ProgrammeId: "elsewhere"}, nil
}

// A record identity has not heard of (registered before identity kept copies, or its event
// still on its way) is read from its own service, as a service, and then invited as usual.
func TestInviteReadsARecordItsCopyLacks(t *testing.T) {
	t.Parallel()
	fake := &recordServices{hostID: uuid.NewString(), studentID: uuid.NewString()}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	hostsv1.RegisterHostServiceServer(srv, fake)
	studentsv1.RegisterStudentServiceServer(srv, fake)
	go func() { _ = srv.Serve(lis) }()
	t.Cleanup(srv.Stop)

	_, svcKey, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, func(c *service.Config) {
		c.Service = auth.ServiceKeys{Private: svcKey, Public: svcKey.Public().(ed25519.PublicKey)}
		c.HostsAddr, c.StudentsAddr = lis.Addr().String(), lis.Addr().String()
	})
	coord := bearer(e.login(t, "coordinator@demo.cohabit.test", "coordinator-demo-password").GetAccessToken())

	inv, err := e.client.InviteHost(coord, &identityv1.InviteHostRequest{Id: fake.hostID})
	if err != nil {
		t.Fatal(err)
	}
	if inv.GetRecordId() != fake.hostID || inv.GetProgrammeId() != demoID {
		t.Fatalf("invitation %v", inv)
	}
	// Kept: the next invitation needs no call.
	if _, err := e.client.InviteHost(coord, &identityv1.InviteHostRequest{Id: fake.hostID}); err != nil {
		t.Fatal(err)
	}
	// Unknown to its service too, or of another programme: not found either way.
	_, err = e.client.InviteHost(coord, &identityv1.InviteHostRequest{Id: uuid.NewString()})
	wantCode(t, err, codes.NotFound)
	_, err = e.client.InviteStudent(coord, &identityv1.InviteStudentRequest{Id: fake.studentID})
	wantCode(t, err, codes.NotFound)

	fake.mu.Lock()
	defer fake.mu.Unlock()
	if fake.calls != 3 || fake.unauthenticated != 0 {
		t.Fatalf("%d calls (%d without a token), want 3 with", fake.calls, fake.unauthenticated)
	}
}

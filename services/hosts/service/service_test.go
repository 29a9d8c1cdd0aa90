package service_test

import (
	"context"
	"log/slog"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/grpcapi"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/hosts/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

type env struct {
	client hostsv1.HostServiceClient
	js     jetstream.JetStream
	issuer *auth.Issuer
	// service calls as another service (a service token).
	service context.Context
}

func start(t *testing.T) *env {
	t.Helper()
	return startLogging(t, logging.Discard())
}

// startLogging starts the service with log, for a test that reads what it says.
func startLogging(t *testing.T, log *slog.Logger) *env {
	t.Helper()
	url := svctest.DatabaseURL(t, "hosts", postgres.Sets()...)
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	svcKeys, svcCtx := svctest.ServiceKeys(t, "contracts")
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config: boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Service: svcKeys, Ready: ready},
		}, log)
	})
	return &env{client: hostsv1.NewHostServiceClient(cc), js: svctest.JetStream(t, ns.URL()), issuer: issuer, service: svcCtx}
}

func (e *env) as(t *testing.T, role auth.Role, programme string) (context.Context, string) {
	t.Helper()
	return svctest.As(t, e.issuer, role, programme)
}

func hostInput(birth string) *hostsv1.Host {
	return &hostsv1.Host{
		DisplayName: "Jeanne Martin", BirthDate: birth, Phone: "+33 4 78 00 00 00",
		Address:        &hostsv1.Address{Line1: "3 rue des Lilas", Postcode: "69003", City: "Lyon", Lat: 45.76, Lng: 4.85},
		Languages:      []string{"fr"},
		ServicesWanted: []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_MEALS},
		Rhythm:         typev1.Rhythm_RHYTHM_EARLY, Assisted: true, ConsentRecorded: true,
	}
}

func roomInput() *hostsv1.Room {
	return &hostsv1.Room{Title: "Chambre sur jardin", AreaM2: 12, Furnished: true, MonthlyContributionCents: 15000, AvailableFrom: "2027-01-01",
		SharedSpaces: []string{"cuisine", "salon"}}
}

// nextEvents reads the HOSTS stream from the start with an ephemeral consumer filtered on subject.
func nextEvents(t *testing.T, js jetstream.JetStream, subject string, n int) []jetstream.Msg {
	t.Helper()
	return svctest.NextEvents(t, js, hostsevents.Stream.Name, subject, n)
}

func TestPolicyCoversEveryMethod(t *testing.T) {
	t.Parallel()
	for _, m := range hostsv1.HostService_ServiceDesc.Methods {
		if _, ok := grpcapi.Policy["/"+hostsv1.HostService_ServiceDesc.ServiceName+"/"+m.MethodName]; !ok {
			t.Errorf("%s has no authorization rule", m.MethodName)
		}
	}
}

func TestAssistedHostToPublishedRoom(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")

	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12"), RequestId: "req-1"})
	if err != nil {
		t.Fatal(err)
	}
	if h.GetStatus() != hostsv1.HostStatus_HOST_STATUS_PENDING_VERIFICATION || h.GetProgrammeId() != "lyon" || !h.GetAssisted() || h.GetOwnerAccountId() != "" {
		t.Fatalf("created host: %v", h)
	}
	again, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12"), RequestId: "req-1"})
	if err != nil || again.GetId() != h.GetId() {
		t.Fatalf("a retried create must return the first host: %v %v", again.GetId(), err)
	}

	r, err := e.client.CreateRoom(coord, &hostsv1.CreateRoomRequest{HostId: h.GetId(), Room: roomInput()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.PublishRoom(coord, &hostsv1.PublishRoomRequest{Id: r.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "HOST_NOT_VERIFIED" {
		t.Fatalf("publish before verification: reason %q", grpcx.Reason(err))
	}
	if _, err := e.client.VerifyHost(coord, &hostsv1.VerifyHostRequest{Id: h.GetId(), Etag: h.GetEtag()}); err != nil {
		t.Fatal(err)
	}
	pub, err := e.client.PublishRoom(coord, &hostsv1.PublishRoomRequest{Id: r.GetId(), Etag: r.GetEtag()})
	if err != nil {
		t.Fatal(err)
	}
	if pub.GetStatus() != hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED || pub.GetCity() != "Lyon" {
		t.Fatalf("published room: %v", pub)
	}

	msgs := nextEvents(t, e.js, hostsevents.HostRegistered.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Headers().Get(jetstream.MsgIDHeader) != env.GetId() {
		t.Fatalf("Nats-Msg-Id %q is not the event id %q", msgs[0].Headers().Get(jetstream.MsgIDHeader), env.GetId())
	}
	msgs = nextEvents(t, e.js, hostsevents.RoomPublished.Subject, 1)
	env, _ = event.Decode(msgs[0].Data())
	published, err := event.Payload(env, &hostseventsv1.RoomPublished{})
	if err != nil {
		t.Fatal(err)
	}
	if published.GetRoom().GetRoomId() != r.GetId() || published.GetHost().GetAge() != 78 || published.GetHost().GetCity() != "Lyon" ||
		!slices.Equal(published.GetRoom().GetSharedSpaces(), []string{"cuisine", "salon"}) {
		t.Fatalf("room.published payload: %v", published)
	}
	// Events carry no contact details.
	if strings.Contains(string(msgs[0].Data()), "+33") || strings.Contains(string(msgs[0].Data()), "rue des Lilas") {
		t.Fatal("the event leaks the host's phone or street")
	}
}

func TestHostTooYoungCannotBeVerified(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	// 59 today, whatever today is.
	birth := time.Now().AddDate(-60, 0, 1).Format("2006-01-02")
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput(birth)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.VerifyHost(coord, &hostsv1.VerifyHostRequest{Id: h.GetId()})
	s := svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "HOST_TOO_YOUNG" || !strings.Contains(s.Message(), "59") {
		t.Fatalf("reason %q message %q", grpcx.Reason(err), s.Message())
	}
}

func TestProgrammeSettingsComeFromIdentityEvents(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	if err := natsx.EnsureStream(ctx, e.js, natsx.Stream{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	settings := &identityv1.ProgrammeSettings{HostMinAge: 65, ContributionCapCents: 20000}
	svctest.Publish(t, e.js, identityevents.ProgrammeCreated.Subject, "strict", &identityeventsv1.ProgrammeCreated{
		Programme: &identityv1.Programme{Id: "strict", Name: "Strict", Settings: settings, CreateTime: timestamppb.Now()},
	})
	coord, _ := e.as(t, auth.RoleCoordinator, "strict")
	birth := time.Now().AddDate(-62, 0, 0).Format("2006-01-02")
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput(birth)})
	if err != nil {
		t.Fatal(err)
	}
	// The consumer applies the settings asynchronously: wait until the cap bites (a room
	// created before that is harmless), then check the age rule.
	room := roomInput()
	room.MonthlyContributionCents = 25000
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err = e.client.CreateRoom(coord, &hostsv1.CreateRoomRequest{HostId: h.GetId(), Room: room})
		if s, _ := status.FromError(err); s.Code() == codes.InvalidArgument {
			if _, ok := grpcx.FieldViolations(err)["monthlyContributionCents"]; !ok {
				t.Fatalf("violations %v", grpcx.FieldViolations(err))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("programme settings never applied: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, err = e.client.VerifyHost(coord, &hostsv1.VerifyHostRequest{Id: h.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "HOST_TOO_YOUNG" {
		t.Fatalf("reason %q", grpcx.Reason(err))
	}
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	otherCoord, _ := e.as(t, auth.RoleCoordinator, "paris")
	student, _ := e.as(t, auth.RoleStudent, "lyon")
	hostCtx, hostAccount := e.as(t, auth.RoleHost, "lyon")
	otherHost, _ := e.as(t, auth.RoleHost, "lyon")

	assisted, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12")})
	if err != nil {
		t.Fatal(err)
	}
	in := hostInput("1950-05-05")
	in.Assisted, in.ConsentRecorded = false, false
	own, err := e.client.CreateHost(hostCtx, &hostsv1.CreateHostRequest{Host: in, RequestId: "self-1"})
	if err != nil {
		t.Fatal(err)
	}
	retried, err := e.client.CreateHost(hostCtx, &hostsv1.CreateHostRequest{Host: in, RequestId: "self-1"})
	if err != nil || retried.GetId() != own.GetId() {
		t.Fatalf("a host's retried registration must return the first record: %v %v", retried.GetId(), err)
	}
	if own.GetOwnerAccountId() != hostAccount || own.GetAssisted() {
		t.Fatalf("self-registered host: owner %q assisted %v", own.GetOwnerAccountId(), own.GetAssisted())
	}
	_, err = e.client.CreateHost(hostCtx, &hostsv1.CreateHostRequest{Host: in})
	svctest.WantCode(t, err, codes.AlreadyExists)

	_, err = e.client.ListHosts(student, &hostsv1.ListHostsRequest{})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.GetHost(otherCoord, &hostsv1.GetHostRequest{Id: assisted.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetHost(otherHost, &hostsv1.GetHostRequest{Id: own.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetHost(coord, &hostsv1.GetHostRequest{Id: "not-a-uuid"})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.VerifyHost(hostCtx, &hostsv1.VerifyHostRequest{Id: own.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.ListHosts(context.Background(), &hostsv1.ListHostsRequest{})
	svctest.WantCode(t, err, codes.Unauthenticated)

	list, err := e.client.ListHosts(hostCtx, &hostsv1.ListHostsRequest{})
	if err != nil || len(list.GetHosts()) != 1 || list.GetHosts()[0].GetId() != own.GetId() {
		t.Fatalf("a host lists only their own record: %v %v", list, err)
	}
	list, err = e.client.ListHosts(coord, &hostsv1.ListHostsRequest{PageSize: 1})
	if err != nil || len(list.GetHosts()) != 1 || list.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", list, err)
	}
	page2, err := e.client.ListHosts(coord, &hostsv1.ListHostsRequest{PageSize: 1, PageToken: list.GetNextPageToken()})
	if err != nil || len(page2.GetHosts()) != 1 || page2.GetHosts()[0].GetId() == list.GetHosts()[0].GetId() {
		t.Fatalf("second page: %v %v", page2, err)
	}
	none, err := e.client.ListHosts(otherCoord, &hostsv1.ListHostsRequest{})
	if err != nil || len(none.GetHosts()) != 0 {
		t.Fatalf("another programme's coordinator sees %d hosts (%v)", len(none.GetHosts()), err)
	}

	// Rooms: a student sees published rooms of their programme only.
	if _, err := e.client.VerifyHost(coord, &hostsv1.VerifyHostRequest{Id: assisted.GetId()}); err != nil {
		t.Fatal(err)
	}
	draft, err := e.client.CreateRoom(coord, &hostsv1.CreateRoomRequest{HostId: assisted.GetId(), Room: roomInput()})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetRoom(student, &hostsv1.GetRoomRequest{Id: draft.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	if _, err := e.client.PublishRoom(coord, &hostsv1.PublishRoomRequest{Id: draft.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.GetRoom(student, &hostsv1.GetRoomRequest{Id: draft.GetId()}); err != nil {
		t.Fatalf("a student reads a published room of their programme: %v", err)
	}
	_, err = e.client.WithdrawRoom(student, &hostsv1.WithdrawRoomRequest{Id: draft.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.CreateRoom(otherHost, &hostsv1.CreateRoomRequest{HostId: assisted.GetId(), Room: roomInput()})
	svctest.WantCode(t, err, codes.NotFound)
	rooms, err := e.client.ListRooms(student, &hostsv1.ListRoomsRequest{City: "lyon"})
	if err != nil || len(rooms.GetRooms()) != 1 {
		t.Fatalf("student's room list: %v %v", rooms, err)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	bad := hostInput("12/03/1948")
	bad.DisplayName = ""
	_, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: bad})
	svctest.WantCode(t, err, codes.InvalidArgument)
	got := grpcx.FieldViolations(err)
	for _, f := range []string{"birthDate"} {
		if _, ok := got[f]; !ok {
			t.Fatalf("violations %v lack %s", got, f)
		}
	}
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12")})
	if err != nil {
		t.Fatal(err)
	}
	small := roomInput()
	small.AreaM2 = 8
	small.MonthlyContributionCents = -100
	_, err = e.client.CreateRoom(coord, &hostsv1.CreateRoomRequest{HostId: h.GetId(), Room: small})
	svctest.WantCode(t, err, codes.InvalidArgument)
	got = grpcx.FieldViolations(err)
	if _, ok := got["areaM2"]; !ok {
		t.Fatalf("violations %v", got)
	}
	if _, ok := got["monthlyContributionCents"]; !ok {
		t.Fatalf("violations %v", got)
	}
	_, err = e.client.ListHosts(coord, &hostsv1.ListHostsRequest{PageToken: "garbage"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	_, err = e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{Host: &hostsv1.Host{Id: h.GetId()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"owner"}}})
	svctest.WantCode(t, err, codes.InvalidArgument)
	_, err = e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{Host: &hostsv1.Host{Id: h.GetId(), Phone: ""}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"phone"}}})
	svctest.WantCode(t, err, codes.InvalidArgument)
}

func TestConcurrentUpdatesWithSameEtag(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12")})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	outcomes := svctest.Concurrently(n, func(i int) error {
		_, err := e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{
			Host:       &hostsv1.Host{Id: h.GetId(), Etag: h.GetEtag(), DisplayName: "Jeanne " + string(rune('A'+i))},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}},
		}, grpc.WaitForReady(true))
		return err
	})
	if outcomes[codes.OK] != 1 || outcomes[codes.Aborted] != n-1 {
		t.Fatalf("outcomes %v; want exactly one success, and 409 for the %d others", outcomes, n-1)
	}
	got, err := e.client.GetHost(coord, &hostsv1.GetHostRequest{Id: h.GetId()})
	if err != nil || got.GetEtag() == h.GetEtag() {
		t.Fatalf("etag did not move: %v %v", got.GetEtag(), err)
	}
}

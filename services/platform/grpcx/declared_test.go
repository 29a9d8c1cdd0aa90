package grpcx

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// refusals runs req through the interceptor's input check as method and returns its field
// violations (nil when the handler was reached).
func refusals(t *testing.T, method string, req proto.Message) map[string]string {
	t.Helper()
	i := &interceptors{}
	reached := false
	_, err := i.checkInput(context.Background(), req, &grpc.UnaryServerInfo{FullMethod: method}, func(context.Context, any) (any, error) {
		reached = true
		return nil, nil
	})
	if reached {
		if err != nil {
			t.Fatalf("%s: the handler was reached and an error returned: %v", method, err)
		}
		return nil
	}
	e, ok := errs.As(err)
	if !ok || e.Code != codes.InvalidArgument {
		t.Fatalf("%s: %v, want InvalidArgument", method, err)
	}
	out := map[string]string{}
	for _, v := range e.Violations {
		out[v.Field] = v.Description
	}
	return out
}

// Issue 18: a required single enum took …_UNSPECIFIED; the declared rules refuse it, and
// bound numbers and lists, each named by its JSON name as the client wrote it.
func TestDeclaredRules(t *testing.T) {
	t.Parallel()
	const (
		createRoom = "/cohabit.hosts.v1.HostService/CreateRoom"
		createHost = "/cohabit.hosts.v1.HostService/CreateHost"
	)
	cases := []struct {
		name   string
		method string
		req    proto.Message
		field  string
	}{
		{"UNSPECIFIED severity", "/cohabit.contracts.v1.ContractService/CreateIncident",
			&contractsv1.CreateIncidentRequest{ContractId: "c1", Severity: contractsv1.Severity_SEVERITY_UNSPECIFIED, Description: "Bruit"}, "severity"},
		{"UNSPECIFIED check-in method", "/cohabit.contracts.v1.ContractService/CompleteCheckin",
			&contractsv1.CompleteCheckinRequest{Id: "k1", HostWellbeing: 4, StudentWellbeing: 4}, "method"},
		{"UNSPECIFIED person kind", "/cohabit.privacy.v1.PersonalDataService/ExportPersonalData",
			&privacyv1.ExportPersonalDataRequest{PersonId: "p1"}, "kind"},
		{"UNSPECIFIED role", "/cohabit.identity.v1.IdentityService/CreateAccount",
			&identityv1.CreateAccountRequest{Email: "a@example.org", Password: "long enough password"}, "role"},
		{"UNSPECIFIED document kind", "/cohabit.desk.v1.DeskService/CreateDocument",
			&deskv1.CreateDocumentRequest{OwnerId: "h1"}, "kind"},
		{"an etag past its maximum", "/cohabit.hosts.v1.HostService/VerifyHost",
			&hostsv1.VerifyHostRequest{Id: "h1", Etag: strings.Repeat("e", 65)}, "etag"},
		{"a room of 5,000 m² in a contract", "/cohabit.contracts.v1.ContractService/UpdateContract",
			&contractsv1.UpdateContractRequest{Contract: &contractsv1.Contract{Terms: &contractsv1.ContractTerms{RoomAreaM2: 5000}}}, "terms.roomAreaM2"},
		{"a host id past its maximum", createRoom, &hostsv1.CreateRoomRequest{HostId: strings.Repeat("h", 65), Room: &hostsv1.Room{Title: "Chambre"}}, "hostId"},
		{"a room's etag past its maximum", createRoom, &hostsv1.CreateRoomRequest{HostId: "h1", Room: &hostsv1.Room{Etag: strings.Repeat("e", 65)}}, "etag"},
	}
	for _, c := range cases {
		got := refusals(t, c.method, c.req)
		if len(got) != 1 || got[c.field] == "" {
			t.Errorf("%s: violations %v, want one on %s", c.name, got, c.field)
		}
	}

	// One answer per problem: a list the floor refuses (10,000 items, a duplicate) is not
	// refused again by its declared maximum.
	for _, host := range []*hostsv1.Host{
		{Languages: make([]string, 10_000)},
		{ServicesWanted: []typev1.Service{typev1.Service_SERVICE_MEALS, typev1.Service_SERVICE_MEALS}},
	} {
		got := refusals(t, createHost, &hostsv1.CreateHostRequest{Host: host})
		if len(got) != 1 {
			t.Errorf("%v: violations %v, want exactly one", host, got)
		}
	}

	// What stays allowed: optional enums left out, values at their bounds, an update naming
	// only some fields.
	for _, ok := range []struct {
		method string
		req    proto.Message
	}{
		{createHost, &hostsv1.CreateHostRequest{Host: &hostsv1.Host{DisplayName: "Jeanne", Etag: strings.Repeat("e", 64)}}},
		{createRoom, &hostsv1.CreateRoomRequest{HostId: "h1", Room: &hostsv1.Room{AreaM2: 12.5, Floor: -1}}},
		{"/cohabit.contracts.v1.ContractService/UpdateContract", &contractsv1.UpdateContractRequest{Contract: &contractsv1.Contract{Terms: &contractsv1.ContractTerms{RoomAreaM2: 1000}}}},
		{"/cohabit.hosts.v1.HostService/UpdateRoom", &hostsv1.UpdateRoomRequest{Room: &hostsv1.Room{Id: "r1", Title: "Chambre"}}},
		{"/cohabit.contracts.v1.ContractService/SignContract", &contractsv1.SignContractRequest{Id: "c1"}},
		{"/cohabit.contracts.v1.ContractService/CompleteCheckin", &contractsv1.CompleteCheckinRequest{Id: "k1", Method: contractsv1.CheckinMethod_CHECKIN_METHOD_VISIT, HostWellbeing: 1, StudentWellbeing: 5}},
	} {
		if got := refusals(t, ok.method, ok.req); got != nil {
			t.Errorf("%s %v: refused %v", ok.method, ok.req, got)
		}
	}
}

package service_test

import (
	"testing"

	"google.golang.org/grpc/codes"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// Another service reads a host (to write to her, to print her contract) with a service
// token, and can do nothing else: no list, no change.
func TestServiceReadsHostOnly(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "p1")
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12")})
	if err != nil {
		t.Fatal(err)
	}

	got, err := e.client.GetHost(e.service, &hostsv1.GetHostRequest{Id: h.GetId()})
	if err != nil {
		t.Fatalf("service GetHost: %v", err)
	}
	if got.GetPhone() != h.GetPhone() || got.GetAddress().GetLine1() != h.GetAddress().GetLine1() {
		t.Errorf("service read %+v, want the host's contact details", got)
	}

	_, err = e.client.ListHosts(e.service, &hostsv1.ListHostsRequest{})
	svctest.WantCode(t, err, codes.PermissionDenied)
	h.DisplayName = "Changed"
	_, err = e.client.UpdateHost(e.service, &hostsv1.UpdateHostRequest{Host: h})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.VerifyHost(e.service, &hostsv1.VerifyHostRequest{Id: h.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
}

package service_test

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// TestConsentOfAnAssistedHost (SPEC §9): the consent recorded for a host registered by a
// coordinator says who recorded it, when, and which version of the information notice; its
// withdrawal, recorded by a coordinator, erases the host; nobody else may record it.
func TestConsentOfAnAssistedHost(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, coordID := e.as(t, auth.RoleCoordinator, "prog-consent")
	in := hostInput("1948-03-12")
	in.ConsentNoticeVersion = "2026-09"
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: in})
	if err != nil {
		t.Fatal(err)
	}
	if !h.GetConsentRecorded() || h.GetConsentNoticeVersion() != "2026-09" || h.GetRegisteredByAccountId() != coordID ||
		h.GetConsentTime().AsTime().IsZero() || !h.GetConsentTime().AsTime().Equal(h.GetCreateTime().AsTime()) {
		t.Fatalf("the consent recorded: %v", h)
	}
	in.ConsentNoticeVersion = strings.Repeat("v", 41)
	_, err = e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: in})
	if vs := grpcx.FieldViolations(err); vs["consentNoticeVersion"] == "" {
		t.Errorf("a notice version too long: %v (%v)", err, vs)
	}

	other, _ := e.as(t, auth.RoleCoordinator, "prog-other")
	owner, _ := e.as(t, auth.RoleHost, "prog-consent")
	for _, c := range []struct {
		name string
		ctx  context.Context
		code codes.Code
	}{{"another programme's coordinator", other, codes.NotFound}, {"a host", owner, codes.PermissionDenied}} {
		_, err := e.client.WithdrawHostConsent(c.ctx, &hostsv1.WithdrawHostConsentRequest{Id: h.GetId()})
		if status.Code(err) != c.code {
			t.Errorf("%s withdrawing: %v, want %v", c.name, err, c.code)
		}
	}

	if _, err := e.client.WithdrawHostConsent(coord, &hostsv1.WithdrawHostConsentRequest{Id: h.GetId()}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.GetHost(coord, &hostsv1.GetHostRequest{Id: h.GetId()}); status.Code(err) != codes.NotFound {
		t.Errorf("the host after withdrawing her consent: %v, want NotFound", err)
	}
	msgs := svctest.NextEvents(t, e.js, hostsevents.Stream.Name, hostsevents.HostErased.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	if p, err := event.Payload(env, &eventsv1.PersonErased{}); err != nil || p.GetPersonId() != h.GetId() {
		t.Errorf("the erasure published: %v %v", p, err)
	}
}

package service_test

import (
	"math"
	"testing"

	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
)

// A host registered without coordinates is placed at her commune's centre (here Lyon's 7th
// arrondissement, from the postcode), the API says it is approximate, and the event that
// matching scores on carries the position and the flag.
func TestAddressWithoutCoordinatesIsPlacedAtItsCommune(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	in := hostInput("1948-03-12")
	in.Address = &hostsv1.Address{Line1: "12 rue Garibaldi", Postcode: "69007", City: "LYON"}
	h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: in})
	if err != nil {
		t.Fatal(err)
	}
	a := h.GetAddress()
	if !a.GetApproximate() || math.Abs(a.GetLat()-45.745) > 0.01 || math.Abs(a.GetLng()-4.842) > 0.01 {
		t.Fatalf("address %v: want Lyon 7e's centre, approximate", a)
	}
	msgs := nextEvents(t, e.js, hostsevents.HostRegistered.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	reg, err := event.Payload(env, &hostseventsv1.HostRegistered{})
	if err != nil {
		t.Fatal(err)
	}
	if p := reg.GetHost(); p.GetLat() != a.GetLat() || p.GetLng() != a.GetLng() || !p.GetApproximatePosition() {
		t.Fatalf("event profile %v", p)
	}

	// Her own coordinates, once given, replace the commune's centre.
	got, err := e.client.UpdateHost(coord, &hostsv1.UpdateHostRequest{
		Host:       &hostsv1.Host{Id: h.GetId(), Address: &hostsv1.Address{Line1: "12 rue Garibaldi", Postcode: "69007", City: "Lyon", Lat: 45.7491, Lng: 4.8503}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"address"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if a := got.GetAddress(); a.GetApproximate() || a.GetLat() != 45.7491 {
		t.Fatalf("after giving coordinates: %v", a)
	}
}

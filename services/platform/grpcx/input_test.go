package grpcx

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
)

func TestInputNamesNULAndNonFinite(t *testing.T) {
	t.Parallel()
	req := &hostsv1.CreateHostRequest{
		Host: &hostsv1.Host{
			DisplayName: "Jeanne\x00",
			Address:     &hostsv1.Address{City: "Lyon", Lat: math.Inf(1), Lng: math.NaN()},
			Languages:   []string{"fr", "e\x00n"},
		},
		RequestId: "r\x00",
	}
	var v errs.Violations
	walkInput(req.ProtoReflect(), resourcePrefix("/cohabit.hosts.v1.HostService/CreateHost", req.ProtoReflect()), &v)
	var fields []string
	for _, x := range v {
		fields = append(fields, x.Field)
	}
	slices.Sort(fields)
	want := []string{"address.lat", "address.lng", "displayName", "languages", "requestId"}
	if !slices.Equal(fields, want) {
		t.Errorf("violations on %v, want %v", fields, want)
	}

	clean := &hostsv1.CreateHostRequest{Host: &hostsv1.Host{DisplayName: "Jeanne", Address: &hostsv1.Address{Lat: 45.7}}}
	v = nil
	walkInput(clean.ProtoReflect(), "host", &v)
	if len(v) != 0 {
		t.Errorf("a clean request has violations: %v", v)
	}
}

func TestResourcePrefix(t *testing.T) {
	t.Parallel()
	if got := resourcePrefix("/cohabit.hosts.v1.HostService/CreateHost", (&hostsv1.CreateHostRequest{}).ProtoReflect()); got != "host" {
		t.Errorf("CreateHost: %q, want host", got)
	}
	if got := resourcePrefix("/cohabit.hosts.v1.HostService/GetHost", (&hostsv1.GetHostRequest{}).ProtoReflect()); got != "" {
		t.Errorf("GetHost: %q, want none", got)
	}
}

// Issue 18: control characters, unbounded text and lists, undefined, unspecified and
// duplicated enum values, and instants of year 0 or 9999 were taken.
func TestInputHygiene(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", maxText+1)
	cases := []struct {
		name  string
		host  *hostsv1.Host
		room  *hostsv1.Room
		field string
	}{
		{name: "bell", host: &hostsv1.Host{DisplayName: "Jeanne\a"}, field: "displayName"},
		{name: "escape", host: &hostsv1.Host{DisplayName: "\x1b[31mJeanne"}, field: "displayName"},
		{name: "C1 control", host: &hostsv1.Host{DisplayName: "Jeanne\u0085"}, field: "displayName"},
		{name: "bidi override", host: &hostsv1.Host{DisplayName: "Jeanne\u202e"}, field: "displayName"},
		{name: "newline in a single line", host: &hostsv1.Host{DisplayName: "Jeanne\nMartin"}, field: "displayName"},
		{name: "tab in a single line", host: &hostsv1.Host{DisplayName: "Jeanne\tMartin"}, field: "displayName"},
		{name: "text too long", host: &hostsv1.Host{DisplayName: long}, field: "displayName"},
		{name: "long text too long", room: &hostsv1.Room{Description: strings.Repeat("a", maxLongText+1)}, field: "description"},
		{name: "too many items", host: &hostsv1.Host{Languages: make([]string, maxItems+1)}, field: "languages"},
		{name: "item with a control", host: &hostsv1.Host{Languages: []string{"fr", "e\an"}}, field: "languages"},
		{name: "undefined enum", host: &hostsv1.Host{Rhythm: typev1.Rhythm(999)}, field: "rhythm"},
		{name: "unspecified in a list", host: &hostsv1.Host{ServicesWanted: []typev1.Service{typev1.Service_SERVICE_UNSPECIFIED}}, field: "servicesWanted"},
		{name: "duplicate in a list", host: &hostsv1.Host{ServicesWanted: []typev1.Service{typev1.Service_SERVICE_MEALS, typev1.Service_SERVICE_MEALS}}, field: "servicesWanted"},
		{name: "undefined in a list", host: &hostsv1.Host{ServicesWanted: []typev1.Service{999}}, field: "servicesWanted"},
		{name: "year 0", host: &hostsv1.Host{VerifiedTime: timestamppb.New(time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC))}, field: "verifiedTime"},
		{name: "year 9999", host: &hostsv1.Host{VerifiedTime: timestamppb.New(time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC))}, field: "verifiedTime"},
	}
	for _, c := range cases {
		var v errs.Violations
		var m protoreflect.Message = (&hostsv1.CreateHostRequest{Host: c.host}).ProtoReflect()
		prefix := protoreflect.Name("host")
		if c.room != nil {
			m, prefix = (&hostsv1.CreateRoomRequest{Room: c.room}).ProtoReflect(), "room"
		}
		walkInput(m, prefix, &v)
		if len(v) != 1 || v[0].Field != c.field {
			t.Errorf("%s: violations %v, want one on %s", c.name, v, c.field)
		}
	}

	// What stays allowed: newlines and tabs in multi-line text, accents and emoji, a list of
	// distinct values, today.
	ok := &hostsv1.CreateRoomRequest{Room: &hostsv1.Room{Title: "Chambre sur jardin — étage 🌳", Description: "Au calme.\n\tLumineuse.\r\n"}}
	var v errs.Violations
	walkInput(ok.ProtoReflect(), "room", &v)
	host := &hostsv1.CreateHostRequest{Host: &hostsv1.Host{
		DisplayName: "Zoé d'Almeida", ServicesWanted: []typev1.Service{typev1.Service_SERVICE_MEALS, typev1.Service_SERVICE_COMPANY},
		VerifiedTime: timestamppb.Now(), Languages: make([]string, maxItems),
	}}
	walkInput(host.ProtoReflect(), "host", &v)
	if len(v) != 0 {
		t.Errorf("clean requests have violations: %v", v)
	}
}

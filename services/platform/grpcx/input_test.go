package grpcx

import (
	"math"
	"slices"
	"testing"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
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

package service_test

import (
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// A coordinator finds a host by a part of her name, town or email, case aside, in her own
// programme only; the words are taken literally.
func TestListHostsQuery(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	other, _ := e.as(t, auth.RoleCoordinator, "paris")
	add := func(name, city, email string) string {
		in := hostInput("1948-03-12")
		in.DisplayName, in.Address.City, in.Email = name, city, email
		h, err := e.client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: in})
		if err != nil {
			t.Fatal(err)
		}
		return h.GetId()
	}
	jeanne := add("Jeanne Martin", "Lyon", "")
	paul := add("Paul Girard", "Villeurbanne", "paul.girard@example.org")
	odette := add("Odette Roux", "Lyon", "")
	in := hostInput("1948-03-12")
	in.DisplayName = "Jeanne Martin"
	if _, err := e.client.CreateHost(other, &hostsv1.CreateHostRequest{Host: in}); err != nil {
		t.Fatal(err)
	}

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", []string{jeanne, paul, odette}},
		{"martin", []string{jeanne}},
		{"  LYON ", []string{jeanne, odette}},
		{"girard@", []string{paul}},
		{"%", nil},
		{"ne_m", nil},
	} {
		res, err := e.client.ListHosts(coord, &hostsv1.ListHostsRequest{Query: c.query})
		if err != nil {
			t.Fatalf("query %q: %v", c.query, err)
		}
		var got []string
		for _, h := range res.GetHosts() {
			got = append(got, h.GetId())
		}
		slices.Sort(got)
		want := slices.Clone(c.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("query %q: %d hosts %v, want %v", c.query, len(got), got, want)
		}
	}
	_, err := e.client.ListHosts(coord, &hostsv1.ListHostsRequest{Query: strings.Repeat("a", 101)})
	svctest.WantCode(t, err, codes.InvalidArgument)
}

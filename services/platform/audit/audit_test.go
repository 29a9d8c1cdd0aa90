package audit_test

import (
	"testing"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/audit"
)

const (
	h1 = "01900000-0000-7000-8000-000000000001"
	h2 = "01900000-0000-7000-8000-000000000002"
	s1 = "01900000-0000-7000-8000-000000000003"
	r1 = "01900000-0000-7000-8000-000000000004"
)

func TestCollectFindsThePeopleNamed(t *testing.T) {
	cases := []struct {
		name string
		msgs []any
		want []string
	}{
		{"a host read", []any{&hostsv1.GetHostRequest{Id: h1}, &hostsv1.Host{Id: h1}}, []string{h1 + " host"}},
		{"an erasure, whose answer is empty", []any{&hostsv1.EraseHostRequest{Id: h1}, &hostsv1.EraseHostResponse{}}, []string{h1 + " host"}},
		{"a withdrawal of consent", []any{&hostsv1.WithdrawHostConsentRequest{Id: h1}, &hostsv1.WithdrawHostConsentResponse{}}, []string{h1 + " host"}},
		{"a list is one entry with every id it showed", []any{&hostsv1.ListHostsRequest{}, &hostsv1.ListHostsResponse{Hosts: []*hostsv1.Host{{Id: h1}, {Id: h2}}}},
			[]string{h1 + " host", h2 + " host"}},
		{"a room names its host, not itself", []any{&hostsv1.GetRoomRequest{Id: r1}, &hostsv1.Room{Id: r1, HostId: h1}}, []string{h1 + " host"}},
		{"a student", []any{&studentsv1.GetStudentRequest{Id: s1}, &studentsv1.Student{Id: s1}}, []string{s1 + " student"}},
		{"a match names both parties", []any{&matchingv1.GetMatchRequest{Id: r1}, &matchingv1.Match{Id: r1, HostId: h1, StudentId: s1}},
			[]string{h1 + " host", s1 + " student"}},
		{"what is not an id names no one", []any{&hostsv1.GetHostRequest{Id: "not-an-id"}}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, s := range audit.Collect(c.msgs...) {
				got = append(got, s.GetId()+" "+s.GetKind())
			}
			if len(got) != len(c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("got %v, want %v", got, c.want)
				}
			}
		})
	}
}

func TestAction(t *testing.T) {
	for method, want := range map[string]string{
		"/cohabit.hosts.v1.HostService/GetHost":                      audit.ActionRead,
		"/cohabit.hosts.v1.HostService/ListHosts":                    audit.ActionRead,
		"/cohabit.hosts.v1.HostService/VerifyHost":                   audit.ActionChange,
		"/cohabit.hosts.v1.HostService/EraseHost":                    audit.ActionChange,
		"/cohabit.privacy.v1.PersonalDataService/ExportPersonalData": audit.ActionRead,
	} {
		if got := audit.Action(method); got != want {
			t.Errorf("Action(%s) = %s, want %s", method, got, want)
		}
	}
}

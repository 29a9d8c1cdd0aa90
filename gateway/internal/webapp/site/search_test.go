package site

import (
	"net/url"
	"strings"
	"testing"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// The hosts and students lists search: the words go to the service as typed (trimmed, cut
// to the 100 characters it takes) and stay in the box.
func TestListsSearch(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	long := strings.Repeat("é", 150)
	for _, c := range []struct{ path, q, want string }{
		{"/coordinator/hosts", "  Martin ", "Martin"},
		{"/coordinator/students", "Lyon 2", "Lyon 2"},
		{"/coordinator/hosts", long, strings.Repeat("é", 100)},
	} {
		r := b.get(t, c.path+"?"+url.Values{"q": {c.q}}.Encode())
		if r.code != 200 || !strings.Contains(r.body, `type="search"`) || !strings.Contains(r.body, `value="`+c.want+`"`) {
			t.Errorf("%s?q=%.20q: %d, the search box does not keep %.20q", c.path, c.q, r.code, c.want)
		}
	}
	var hostQueries, studentQueries []string
	for _, c := range h.be.rec.called("ListHosts") {
		hostQueries = append(hostQueries, c.req.(*hostsv1.ListHostsRequest).GetQuery())
	}
	for _, c := range h.be.rec.called("ListStudents") {
		studentQueries = append(studentQueries, c.req.(*studentsv1.ListStudentsRequest).GetQuery())
	}
	if len(hostQueries) != 2 || hostQueries[0] != "Martin" || hostQueries[1] != strings.Repeat("é", 100) {
		t.Errorf("host queries sent: %q", hostQueries)
	}
	if len(studentQueries) != 1 || studentQueries[0] != "Lyon 2" {
		t.Errorf("student queries sent: %q", studentQueries)
	}
}

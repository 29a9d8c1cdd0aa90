package coordinator_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// The hosts and students lists search: the words go to the service as typed (trimmed, cut
// to the 100 characters it takes) and stay in the box.
func TestListsSearch(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	long := strings.Repeat("é", 150)
	for _, c := range []struct{ path, q, want string }{
		{"/coordinator/hosts", "  Martin ", "Martin"},
		{"/coordinator/students", "Lyon 2", "Lyon 2"},
		{"/coordinator/hosts", long, strings.Repeat("é", 100)},
	} {
		r := b.Get(t, c.path+"?"+url.Values{"q": {c.q}}.Encode())
		if r.Code != 200 || !strings.Contains(r.Body, `type="search"`) || !strings.Contains(r.Body, `value="`+c.want+`"`) {
			t.Errorf("%s?q=%.20q: %d, the search box does not keep %.20q", c.path, c.q, r.Code, c.want)
		}
	}
	var hostQueries, studentQueries []string
	for _, c := range h.Be.Rec.Called("ListHosts") {
		hostQueries = append(hostQueries, c.Req.(*hostsv1.ListHostsRequest).GetQuery())
	}
	for _, c := range h.Be.Rec.Called("ListStudents") {
		studentQueries = append(studentQueries, c.Req.(*studentsv1.ListStudentsRequest).GetQuery())
	}
	if len(hostQueries) != 2 || hostQueries[0] != "Martin" || hostQueries[1] != strings.Repeat("é", 100) {
		t.Errorf("host queries sent: %q", hostQueries)
	}
	if len(studentQueries) != 1 || studentQueries[0] != "Lyon 2" {
		t.Errorf("student queries sent: %q", studentQueries)
	}
}

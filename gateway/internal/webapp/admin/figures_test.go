package admin_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"
)

// TestNetworkFiguresPage: the admin sees the network's column and one per programme, by
// name; a coordinator may not open it, nor an admin the coordinator's page.
func TestNetworkFiguresPage(t *testing.T) {
	h := webapptest.NewHarness(t)
	admin := h.Browser(t)
	admin.Login(t, "admin@example.org")
	r := admin.Get(t, "/admin/figures")
	if r.Code != 200 {
		t.Fatalf("network: %d\n%s", r.Code, r.Body)
	}
	for _, want := range []string{"<th scope=\"col\">Réseau entier</th>", "<th scope=\"col\">Cohabit Démo — Lyon</th>", "<th scope=\"col\">Cohabit Nantes</th>", "<td>16</td>"} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the network page lacks %q", want)
		}
	}
	if home := admin.Get(t, "/admin"); !strings.Contains(home.Body, `href="/admin/figures"`) {
		t.Error("the admin's page does not link to the network's figures")
	}
	c := admin.Get(t, "/admin/figures.csv")
	if rows, err := csv.NewReader(strings.NewReader(c.Body)).ReadAll(); c.Code != 200 || err != nil || len(rows) != 1+1+4+1 {
		t.Fatalf("network CSV: %d %v %d rows", c.Code, err, len(rows))
	}
	if code := admin.Get(t, "/coordinator/figures").Code; code != http.StatusForbidden {
		t.Errorf("the admin on the coordinator's page: %d", code)
	}
	coord := h.Browser(t)
	coord.Login(t, "coordinator@example.org")
	if code := coord.Get(t, "/admin/figures").Code; code != http.StatusForbidden {
		t.Errorf("a coordinator on the network's page: %d", code)
	}
}

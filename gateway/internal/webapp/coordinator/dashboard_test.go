package coordinator_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

func TestDashboardShowsCounts(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Get(t, "/coordinator")
	if r.Code != http.StatusOK {
		t.Fatalf("code %d\n%s", r.Code, r.Body)
	}
	doc, _ := html.Parse(strings.NewReader(r.Body))
	cards := map[string]string{}
	for _, a := range webapptest.FindAll(doc, "a", "") {
		if !strings.HasPrefix(webapptest.Attr(a, "href"), "#") {
			continue
		}
		for _, s := range webapptest.FindAll(a, "span", "count") {
			cards[webapptest.Attr(a, "href")] = webapptest.Text(s)
		}
	}
	want := map[string]string{
		"#verifications":    "3", // 2 hosts, 1 student
		"#matches":          "2", // 1 proposed, 1 meeting scheduled
		"#contracts":        "1",
		"#checkins":         "2",
		"#checkins-overdue": "1",
		"#incidents":        "3", // 2 open, 1 in mediation
	}
	for k, v := range want {
		if cards[k] != v {
			t.Errorf("card %s = %q, want %s (cards %v)", k, cards[k], v, cards)
		}
	}
	// Incidents by severity: critical 1, high 0, medium 0, low 2.
	if !regexp.MustCompile(`(?s)Critique</th><th[^>]*>Élevée</th><th[^>]*>Moyenne</th><th[^>]*>Faible</th></tr></thead>\s*<tbody><tr><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">2</td>`).MatchString(r.Body) {
		t.Errorf("incidents by severity table wrong:\n%s", r.Body)
	}
	for _, s := range []string{"Paul Girard", "Odette Roux", "Hugo Petit", "Chute dans l’escalier", "Marcel Blanc", "28 novembre 2026 à 15:30", "25 novembre 2026"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("dashboard lacks %q", s)
		}
	}
	// Check-ins due are those due today or before: due_before is tomorrow (exclusive).
	var dueBefore []string
	for _, c := range h.Be.Rec.Called("ListCheckins") {
		if req := c.Req.(*contractsv1.ListCheckinsRequest); req.GetStatus() == contractsv1.CheckinStatus_CHECKIN_STATUS_DUE {
			dueBefore = append(dueBefore, req.GetDueBefore())
		}
	}
	if !slices.Equal(dueBefore, []string{"2026-11-26"}) {
		t.Errorf("due check-ins asked with dueBefore %v, want [2026-11-26]", dueBefore)
	}
}

// The dashboard's verify buttons name the person in their next page; after the pending list
// is swapped in place, her row stays with its new status under the button's id, where htmx
// puts the focus back. Unknown or still pending, nothing is added and the page still shows.
func TestDashboardVerifyKeepsFocusOnTheUpdatedRow(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator")
	doc, _ := html.Parse(strings.NewReader(r.Body))
	if in := webapptest.FindNext(doc, "verify-host-h-2"); in != "/coordinator?verified=host:h-2" {
		t.Errorf("host verify form's next = %q", in)
	}
	if in := webapptest.FindNext(doc, "verify-student-s-2"); in != "/coordinator?verified=student:s-2" {
		t.Errorf("student verify form's next = %q", in)
	}
	// The swap also brings the counters, so "to verify" drops by one without a reload.
	if webapptest.Find(doc, "dash-cards") == nil {
		t.Errorf("no #dash-cards for the swap to replace")
	}
	for _, id := range []string{"verify-host-h-2", "verify-student-s-2"} {
		el := webapptest.Find(doc, id)
		for ; el != nil && el.Data != "form"; el = el.Parent {
		}
		if oob := webapptest.Attr(el, "hx-select-oob"); !strings.Contains(oob, "#dash-cards") {
			t.Errorf("%s: hx-select-oob = %q, without the counters", id, oob)
		}
	}

	r = b.Post(t, "/coordinator/hosts/h-2/verify", url.Values{"next": {"/coordinator?verified=host:h-2"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator?verified=host:h-2" {
		t.Fatalf("verify: %d to %q", r.Code, r.Header.Get("Location"))
	}

	for _, c := range []struct{ query, id, name string }{
		{"host:h-1", "verify-host-h-1", "Jeanne Martin"},
		{"student:s-1", "verify-student-s-1", "Léa Bernard"},
	} {
		r := b.Get(t, "/coordinator?verified="+c.query)
		if r.Code != http.StatusOK {
			t.Fatalf("%s: code %d", c.query, r.Code)
		}
		doc, _ := html.Parse(strings.NewReader(r.Body))
		el := webapptest.Find(doc, c.id)
		if el == nil || el.Data != "span" || webapptest.Attr(el, "tabindex") != "-1" || !strings.Contains(webapptest.Text(el), "Vérifié") || !strings.Contains(webapptest.Text(el), c.name) {
			t.Errorf("%s: no focusable status for the updated row: %v", c.query, el)
		}
		if pending := webapptest.Find(doc, "pending"); pending == nil || !strings.Contains(webapptest.Text(pending), c.name) {
			t.Errorf("%s: the row is not in the swapped pending lists", c.query)
		}
		if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
			t.Errorf("%s: %v", c.query, p)
		}
	}
	// Still pending (a refused verification): the button itself stays, once.
	r = b.Get(t, "/coordinator?verified=host:h-3")
	if n := strings.Count(r.Body, `id="verify-host-h-3"`); r.Code != http.StatusOK || n != 1 {
		t.Errorf("still pending: code %d, %d elements with the id", r.Code, n)
	}
	for _, q := range []string{"host:h-9", "student:s-9", "room:r-1", "nonsense"} {
		if r := b.Get(t, "/coordinator?verified="+url.QueryEscape(q)); r.Code != http.StatusOK || strings.Contains(r.Body, `class="done"`) {
			t.Errorf("%s: code %d", q, r.Code)
		}
	}
}

package coordinator_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// The agenda: overdue, today and this week, each item a link to act on it (never off the
// site); a new calendar address, shown whole, saying the old one stops.
func TestAgendaPage(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	r := c.Get(t, "/coordinator/agenda")
	body := html.UnescapeString(r.Body)
	if r.Code != 200 {
		t.Fatalf("agenda: %d\n%s", r.Code, r.Body)
	}
	overdue, today, week := strings.Index(body, `id="agenda-overdue"`), strings.Index(body, `id="agenda-today"`), strings.Index(body, `id="agenda-week"`)
	item1, item2, item3 := strings.Index(body, `href="/coordinator/checkins/k-1"`), strings.Index(body, `href="/coordinator/hosts/h-1#documents"`), strings.Index(body, `href="/coordinator/matches/m-1"`)
	if !(overdue < item1 && item1 < today && today < item2 && item2 < week && week < item3) || overdue < 0 || item1 < 0 {
		t.Errorf("items out of their sections: %d %d %d %d %d %d\n%s", overdue, item1, today, item2, week, item3, r.Body)
	}
	if strings.Contains(body, "evil.example") {
		t.Errorf("an item links off the site")
	}
	if !strings.Contains(body, `href="/coordinator/agenda" aria-current="page"`) {
		t.Errorf("the navigation does not lead to the agenda")
	}
	ga := h.Be.Rec.Called("GetAgenda")
	if a := ga[0].Req.(*deskv1.GetAgendaRequest); a.GetFrom() != "2026-11-25" || a.GetTo() != "2026-12-01" || a.GetLanguage() != "fr" {
		t.Errorf("asked %v", a)
	}
	r = c.Post(t, "/coordinator/agenda/feed", nil)
	body = html.UnescapeString(r.Body)
	if r.Code != 200 || !strings.Contains(body, `value="`+h.Srv.URL+`/v1/agenda/feeds/secret-2.ics"`) || !strings.Contains(body, "L’ancienne adresse ne fonctionne plus.") {
		t.Errorf("feed: %d\n%s", r.Code, r.Body)
	}
	for _, email := range []string{"jeanne@example.org", "lea@example.org"} {
		b := h.Browser(t)
		b.Login(t, email)
		if r := b.Get(t, "/coordinator/agenda"); r.Code != http.StatusForbidden {
			t.Errorf("%s on the agenda: %d", email, r.Code)
		}
		if r := b.Post(t, "/coordinator/agenda/feed", nil); r.Code != http.StatusForbidden {
			t.Errorf("%s asks a feed: %d", email, r.Code)
		}
	}
	if n := len(h.Be.Rec.Called("CreateAgendaFeed")); n != 1 {
		t.Errorf("%d feeds made", n)
	}
}

package site

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

// A coordinator withdraws a room the host no longer lets, behind a second click; a room in a
// stay is refused by the service and the page says so. Nobody else may.
func TestCoordinatorWithdrawsARoom(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/hosts/h-1")
	for _, s := range []string{`action="/coordinator/rooms/r-1/withdraw"`, "Retirer la chambre", "Confirmer le retrait"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("host page lacks %q", s)
		}
	}
	r = b.post(t, "/coordinator/rooms/r-1/withdraw", url.Values{"next": {"/coordinator/hosts/h-1#rooms"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/hosts/h-1#rooms" {
		t.Fatalf("withdraw: %d to %q", r.code, r.header.Get("Location"))
	}
	calls := h.be.rec.called("WithdrawRoom")
	if len(calls) != 1 || calls[0].req.(*hostsv1.WithdrawRoomRequest).GetId() != "r-1" || calls[0].auth != "Bearer tok-coord" {
		t.Errorf("WithdrawRoom calls: %v", calls)
	}
	if r := b.get(t, "/coordinator/hosts/h-1"); !strings.Contains(r.body, "La chambre est retirée.") {
		t.Error("no confirmation after withdrawing")
	}
	b.post(t, "/coordinator/rooms/r-occupied/withdraw", url.Values{"next": {"/coordinator/hosts/h-1"}})
	if r := b.get(t, "/coordinator/hosts/h-1"); !strings.Contains(r.body, `class="flash flash-error"`) || !strings.Contains(r.body, "pas possible à cette étape") || strings.Contains(r.body, "OCCUPIED room") {
		t.Error("the refusal is not said")
	}

	for _, who := range []string{"jeanne@example.org", "lea@example.org", "admin@example.org"} {
		o := h.browser(t)
		o.login(t, who)
		if r := o.post(t, "/coordinator/rooms/r-1/withdraw", nil); r.code != http.StatusForbidden {
			t.Errorf("%s: %d", who, r.code)
		}
	}
	if n := len(h.be.rec.called("WithdrawRoom")); n != 2 {
		t.Errorf("%d withdrawals, want the coordinator's 2", n)
	}
}

// A room's ranking goes on page after page: the first page links to the next with the
// service's token and the rank it starts at; the next numbers its candidates from there.
func TestCandidatesPageThroughTheRanking(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/rooms/r-1/candidates")
	if !strings.Contains(r.body, `href="/coordinator/rooms/r-1/candidates?after=tok-lea&amp;from=2"`) || !strings.Contains(r.body, "Candidats 1 à 1") {
		t.Errorf("first page: no link to the next one, or no range\n%s", r.body)
	}
	if strings.Contains(r.body, "Revenir aux premiers") {
		t.Error("the first page links to itself")
	}
	r = b.get(t, "/coordinator/rooms/r-1/candidates?after=tok-lea&from=2")
	for _, s := range []string{"Hugo Petit", `<ol class="ranks" start="2">`, "Candidats 2 à 2", "Revenir aux premiers"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("second page lacks %q", s)
		}
	}
	if strings.Contains(r.body, "Candidats suivants") {
		t.Error("the last page links to a next one")
	}
	var tokens []string
	for _, c := range h.be.rec.called("ListCandidates") {
		tokens = append(tokens, c.req.(*matchingv1.ListCandidatesRequest).GetPageToken())
	}
	if strings.Join(tokens, ",") != ",tok-lea" {
		t.Errorf("page tokens sent: %q", tokens)
	}
}

// The coordinator corrects a room: filled from it (its contribution in euros), saved with
// every field in the mask and the etag read, then back to the host's rooms.
func TestCoordinatorEditsARoom(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	if r := b.get(t, "/coordinator/hosts/h-1"); !strings.Contains(r.body, `href="/coordinator/rooms/r-1/edit"`) {
		t.Error("no link to edit the room from the host's page")
	}
	r := b.get(t, "/coordinator/rooms/r-1/edit")
	if r.code != http.StatusOK {
		t.Fatalf("edit page: %d", r.code)
	}
	doc, _ := html.Parse(strings.NewReader(r.body))
	for id, want := range map[string]string{"f-title": "Chambre calme près des quais", "f-contribution": "150", "f-areaM2": "12", "f-availableFrom": "2027-01-01"} {
		if el := find(doc, id); el == nil || attr(el, "value") != want {
			t.Errorf("%s is not filled with %q", id, want)
		}
	}
	if el := find(doc, "f-furnished"); el == nil || !isChecked(el) {
		t.Error("furnished is not ticked")
	}
	form := webapp.RoomValues(roomJeanne)
	form.Set("contribution", "162,50")
	r = b.post(t, "/coordinator/rooms/r-1/edit", form)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/hosts/h-1#rooms" {
		t.Fatalf("save: %d to %q", r.code, r.header.Get("Location"))
	}
	calls := h.be.rec.called("UpdateRoom")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateRoom calls", len(calls))
	}
	req := calls[0].req.(*hostsv1.UpdateRoomRequest)
	if req.GetRoom().GetMonthlyContributionCents() != 16250 || req.GetRoom().GetEtag() != "4" || !req.GetRoom().GetFurnished() ||
		!slices.Contains(req.GetUpdateMask().GetPaths(), "monthly_contribution_cents") {
		t.Errorf("UpdateRoom: %v", req)
	}
	// A room its state locks (in a stay): the refusal is said over the form, the edits kept.
	form.Set("title", "locked")
	r = b.post(t, "/coordinator/rooms/r-1/edit", form)
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "La chambre est réservée ou occupée") || strings.Contains(r.body, "cannot be changed") || !strings.Contains(r.body, `value="162,50"`) {
		t.Errorf("locked room: %d", r.code)
	}
	for _, who := range []string{"jeanne@example.org", "lea@example.org"} {
		o := h.browser(t)
		o.login(t, who)
		if r := o.get(t, "/coordinator/rooms/r-1/edit"); r.code != http.StatusForbidden {
			t.Errorf("%s GET edit: %d", who, r.code)
		}
	}
}

func isChecked(n *html.Node) bool {
	_, ok := attrOK(n, "checked")
	return ok
}

package coordinator_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cohabit/cohabit/gateway/internal/webapp/coordinator"
	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

func TestRoomsListFilters(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/rooms")
	for _, s := range []string{"<h1>Chambres</h1>", "3 chambres", "Chambre calme près des quais", "Chambre lumineuse avec balcon",
		`href="/coordinator/hosts/h-2">Paul Girard</a>`, `href="/coordinator/rooms/r-3/candidates"`, "180,00\u00a0€ par mois", `<label for="f-maxContribution">`, `type="date"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("rooms list lacks %q", s)
		}
	}
	r = b.Get(t, "/coordinator/rooms?city=villeurbanne&status=ROOM_STATUS_PUBLISHED&maxContribution=200&availableFrom=01/03/2027")
	if !strings.Contains(r.Body, "1 chambre") || strings.Contains(r.Body, "Chambre calme") || !strings.Contains(r.Body, `value="villeurbanne"`) ||
		!strings.Contains(r.Body, `<option value="ROOM_STATUS_PUBLISHED" selected>`) {
		t.Errorf("filtered list:\n%s", r.Body)
	}
	var req *hostsv1.ListRoomsRequest
	for _, c := range h.Be.Rec.Called("ListRooms") {
		req = c.Req.(*hostsv1.ListRoomsRequest)
	}
	if req.GetCity() != "villeurbanne" || req.GetStatus() != hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED || req.GetMaxContributionCents() != 20000 || req.GetAvailableFrom() != "2027-03-01" {
		t.Errorf("filters sent: %v", req)
	}
	if r := b.Get(t, "/coordinator/rooms?city=Paris"); !strings.Contains(r.Body, "Aucune chambre ne correspond à ces filtres.") {
		t.Error("no message for an empty filtered list")
	}
	// Filters typed wrong say so next to their inputs, and nothing is asked.
	n := len(h.Be.Rec.Called("ListRooms"))
	r = b.Get(t, "/coordinator/rooms?maxContribution=beaucoup&availableFrom=31/02/2027")
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-maxContribution-error"`) || !strings.Contains(r.Body, `id="f-availableFrom-error"`) ||
		len(h.Be.Rec.Called("ListRooms")) != n {
		t.Errorf("bad filters: %d", r.Code)
	}
}

// A coordinator withdraws a room the host no longer lets, behind a second click; a room in a
// stay is refused by the service and the page says so. Nobody else may.
func TestCoordinatorWithdrawsARoom(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/hosts/h-1")
	for _, s := range []string{`action="/coordinator/rooms/r-1/withdraw"`, "Retirer la chambre", "Confirmer le retrait"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("host page lacks %q", s)
		}
	}
	r = b.Post(t, "/coordinator/rooms/r-1/withdraw", url.Values{"next": {"/coordinator/hosts/h-1#rooms"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/hosts/h-1#rooms" {
		t.Fatalf("withdraw: %d to %q", r.Code, r.Header.Get("Location"))
	}
	calls := h.Be.Rec.Called("WithdrawRoom")
	if len(calls) != 1 || calls[0].Req.(*hostsv1.WithdrawRoomRequest).GetId() != "r-1" || calls[0].Auth != "Bearer tok-coord" {
		t.Errorf("WithdrawRoom calls: %v", calls)
	}
	if r := b.Get(t, "/coordinator/hosts/h-1"); !strings.Contains(r.Body, "La chambre est retirée.") {
		t.Error("no confirmation after withdrawing")
	}
	b.Post(t, "/coordinator/rooms/r-occupied/withdraw", url.Values{"next": {"/coordinator/hosts/h-1"}})
	if r := b.Get(t, "/coordinator/hosts/h-1"); !strings.Contains(r.Body, `class="flash flash-error"`) || !strings.Contains(r.Body, "pas possible à cette étape") || strings.Contains(r.Body, "OCCUPIED room") {
		t.Error("the refusal is not said")
	}

	for _, who := range []string{"jeanne@example.org", "lea@example.org", "admin@example.org"} {
		o := h.Browser(t)
		o.Login(t, who)
		if r := o.Post(t, "/coordinator/rooms/r-1/withdraw", nil); r.Code != http.StatusForbidden {
			t.Errorf("%s: %d", who, r.Code)
		}
	}
	if n := len(h.Be.Rec.Called("WithdrawRoom")); n != 2 {
		t.Errorf("%d withdrawals, want the coordinator's 2", n)
	}
}

// The coordinator corrects a room: filled from it (its contribution in euros), saved with
// every field in the mask and the etag read, then back to the host's rooms.
func TestCoordinatorEditsARoom(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	if r := b.Get(t, "/coordinator/hosts/h-1"); !strings.Contains(r.Body, `href="/coordinator/rooms/r-1/edit"`) {
		t.Error("no link to edit the room from the host's page")
	}
	r := b.Get(t, "/coordinator/rooms/r-1/edit")
	if r.Code != http.StatusOK {
		t.Fatalf("edit page: %d", r.Code)
	}
	doc, _ := html.Parse(strings.NewReader(r.Body))
	for id, want := range map[string]string{"f-title": "Chambre calme près des quais", "f-contribution": "150", "f-areaM2": "12", "f-availableFrom": "2027-01-01"} {
		if el := webapptest.Find(doc, id); el == nil || webapptest.Attr(el, "value") != want {
			t.Errorf("%s is not filled with %q", id, want)
		}
	}
	if el := webapptest.Find(doc, "f-furnished"); el == nil || !webapptest.IsChecked(el) {
		t.Error("furnished is not ticked")
	}
	form := coordinator.RoomValues(webapptest.RoomJeanne)
	form.Set("contribution", "162,50")
	r = b.Post(t, "/coordinator/rooms/r-1/edit", form)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/hosts/h-1#rooms" {
		t.Fatalf("save: %d to %q", r.Code, r.Header.Get("Location"))
	}
	calls := h.Be.Rec.Called("UpdateRoom")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateRoom calls", len(calls))
	}
	req := calls[0].Req.(*hostsv1.UpdateRoomRequest)
	if req.GetRoom().GetMonthlyContributionCents() != 16250 || req.GetRoom().GetEtag() != "4" || !req.GetRoom().GetFurnished() ||
		!slices.Contains(req.GetUpdateMask().GetPaths(), "monthly_contribution_cents") {
		t.Errorf("UpdateRoom: %v", req)
	}
	// A room its state locks (in a stay): the refusal is said over the form, the edits kept.
	form.Set("title", "locked")
	r = b.Post(t, "/coordinator/rooms/r-1/edit", form)
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, "La chambre est réservée ou occupée") || strings.Contains(r.Body, "cannot be changed") || !strings.Contains(r.Body, `value="162,50"`) {
		t.Errorf("locked room: %d", r.Code)
	}
	for _, who := range []string{"jeanne@example.org", "lea@example.org"} {
		o := h.Browser(t)
		o.Login(t, who)
		if r := o.Get(t, "/coordinator/rooms/r-1/edit"); r.Code != http.StatusForbidden {
			t.Errorf("%s GET edit: %d", who, r.Code)
		}
	}
}

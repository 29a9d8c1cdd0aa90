package coordinator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

func TestAllocationRunsProposeAndLock(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/allocations")
	for _, s := range []string{"<h1>Attributions</h1>", `href="/coordinator/allocations/al-1"`, "Attribution du 25 novembre 2026 à 09:30", "153,2", `action="/coordinator/allocations"`, `aria-current="page"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("runs list lacks %q", s)
		}
	}

	// Run one for the coordinator's programme: to the run's page.
	r = b.Post(t, "/coordinator/allocations", url.Values{"requestId": {"rq-a"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/allocations/al-new" {
		t.Fatalf("run: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if c := h.Be.Rec.Called("CreateAllocation"); len(c) != 1 || c[0].Req.(*matchingv1.CreateAllocationRequest).GetProgrammeId() != "demo" ||
		len(c[0].Req.(*matchingv1.CreateAllocationRequest).GetLockedPairs()) != 0 || c[0].Req.(*matchingv1.CreateAllocationRequest).GetRequestId() != "rq-a" {
		t.Errorf("CreateAllocation: %v", c)
	}

	// The run: pairs named and scored, the one already proposed linked to its match, the
	// students left out with their reasons in words.
	r = b.Get(t, "/coordinator/allocations/al-new")
	for _, s := range []string{"L’attribution est calculée.", "<h1>Attribution du 25 novembre 2026 à 09:30</h1>", "Chambre calme près des quais", "Léa Bernard",
		"Chambre lumineuse avec balcon", "Hugo Petit", "82,5", "70,8", "153,2", "3 chambres, 4 étudiants", `href="/coordinator/matches/m-3"`,
		`name="pair" value="r-3~s-2"`, `name="keep" value="r-3~s-2" checked`, `name="keep" value="r-1~s-1">`, "gardée",
		"aucune chambre ne convient : tabac, animaux", "les chambres qui lui convenaient sont allées à d’autres étudiants",
		`formaction="/coordinator/allocations"`, `<label for="pair-1">`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("run page lacks %q", s)
		}
	}
	if strings.Contains(r.Body, `name="pair" value="r-1~s-1"`) {
		t.Error("a pair already proposed is offered again")
	}
	b.SetLang(t, "en")
	r = b.Get(t, "/coordinator/allocations/al-new")
	for _, s := range []string{"Allocation of 25 November 2026 at 09:30", "no room fits: smoking, pets", "the rooms that fitted went to other students", "Keep this pair"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("run page in English lacks %q", s)
		}
	}
	b.SetLang(t, "fr")

	// Propose: nothing chosen is refused before the service; the chosen pairs go.
	r = b.Post(t, "/coordinator/allocations/al-new/propose", url.Values{})
	if r.Code != http.StatusSeeOther || len(h.Be.Rec.Called("ProposeAllocationPairs")) != 0 {
		t.Errorf("nothing chosen: %d", r.Code)
	}
	if r := b.Get(t, "/coordinator/allocations/al-new"); !strings.Contains(r.Body, "Choisissez au moins une paire") {
		t.Error("no message when nothing is chosen")
	}
	r = b.Post(t, "/coordinator/allocations/al-new/propose", url.Values{"pair": {"r-3~s-2", "nonsense", "r-3~s-2"}, "keep": {"r-1~s-1"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/allocations/al-new" {
		t.Errorf("propose: %d to %q", r.Code, r.Header.Get("Location"))
	}
	c := h.Be.Rec.Called("ProposeAllocationPairs")
	if len(c) != 1 {
		t.Fatalf("ProposeAllocationPairs calls: %d", len(c))
	}
	if p := c[0].Req.(*matchingv1.ProposeAllocationPairsRequest); p.GetId() != "al-new" || len(p.GetPairs()) != 1 || p.GetPairs()[0].GetRoomId() != "r-3" || p.GetPairs()[0].GetStudentId() != "s-2" {
		t.Errorf("pairs sent: %v", p)
	}
	if r := b.Get(t, "/coordinator/allocations/al-new"); !strings.Contains(r.Body, "Les paires choisies sont proposées") {
		t.Error("no confirmation")
	}
	// A refusal of the service is flashed.
	b.Post(t, "/coordinator/allocations/al-new/propose", url.Values{"pair": {"r-9~s-1"}})
	if r := b.Get(t, "/coordinator/allocations/al-new"); !strings.Contains(r.Body, "flash-error") {
		t.Error("refusal not shown")
	}

	// Re-run keeping the ticked pairs.
	r = b.Post(t, "/coordinator/allocations", url.Values{"keep": {"r-1~s-1", "r-3~s-2"}, "pair": {"r-3~s-2"}, "requestId": {"rq-b"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("re-run: %d", r.Code)
	}
	cc := h.Be.Rec.Called("CreateAllocation")
	if len(cc) != 2 {
		t.Fatalf("CreateAllocation calls: %d", len(cc))
	}
	locked := cc[1].Req.(*matchingv1.CreateAllocationRequest).GetLockedPairs()
	if len(locked) != 2 || locked[0].GetRoomId() != "r-1" || locked[0].GetStudentId() != "s-1" || locked[1].GetRoomId() != "r-3" || locked[1].GetStudentId() != "s-2" {
		t.Errorf("locked pairs: %v", locked)
	}
}

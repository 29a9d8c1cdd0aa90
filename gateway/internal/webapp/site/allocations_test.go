package site

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

func TestAllocationRunsProposeAndLock(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/allocations")
	for _, s := range []string{"<h1>Attributions</h1>", `href="/coordinator/allocations/al-1"`, "Attribution du 25 novembre 2026 à 09:30", "153,2", `action="/coordinator/allocations"`, `aria-current="page"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("runs list lacks %q", s)
		}
	}

	// Run one for the coordinator's programme: to the run's page.
	r = b.post(t, "/coordinator/allocations", url.Values{"requestId": {"rq-a"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/allocations/al-new" {
		t.Fatalf("run: %d to %q", r.code, r.header.Get("Location"))
	}
	if c := h.be.rec.called("CreateAllocation"); len(c) != 1 || c[0].req.(*matchingv1.CreateAllocationRequest).GetProgrammeId() != "demo" ||
		len(c[0].req.(*matchingv1.CreateAllocationRequest).GetLockedPairs()) != 0 || c[0].req.(*matchingv1.CreateAllocationRequest).GetRequestId() != "rq-a" {
		t.Errorf("CreateAllocation: %v", c)
	}

	// The run: pairs named and scored, the one already proposed linked to its match, the
	// students left out with their reasons in words.
	r = b.get(t, "/coordinator/allocations/al-new")
	for _, s := range []string{"L’attribution est calculée.", "<h1>Attribution du 25 novembre 2026 à 09:30</h1>", "Chambre calme près des quais", "Léa Bernard",
		"Chambre lumineuse avec balcon", "Hugo Petit", "82,5", "70,8", "153,2", "3 chambres, 4 étudiants", `href="/coordinator/matches/m-3"`,
		`name="pair" value="r-3~s-2"`, `name="keep" value="r-3~s-2" checked`, `name="keep" value="r-1~s-1">`, "gardée",
		"aucune chambre ne convient : tabac, animaux", "les chambres qui lui convenaient sont allées à d’autres étudiants",
		`formaction="/coordinator/allocations"`, `<label for="pair-1">`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("run page lacks %q", s)
		}
	}
	if strings.Contains(r.body, `name="pair" value="r-1~s-1"`) {
		t.Error("a pair already proposed is offered again")
	}
	b.setLang(t, "en")
	r = b.get(t, "/coordinator/allocations/al-new")
	for _, s := range []string{"Allocation of 25 November 2026 at 09:30", "no room fits: smoking, pets", "the rooms that fitted went to other students", "Keep this pair"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("run page in English lacks %q", s)
		}
	}
	b.setLang(t, "fr")

	// Propose: nothing chosen is refused before the service; the chosen pairs go.
	r = b.post(t, "/coordinator/allocations/al-new/propose", url.Values{})
	if r.code != http.StatusSeeOther || len(h.be.rec.called("ProposeAllocationPairs")) != 0 {
		t.Errorf("nothing chosen: %d", r.code)
	}
	if r := b.get(t, "/coordinator/allocations/al-new"); !strings.Contains(r.body, "Choisissez au moins une paire") {
		t.Error("no message when nothing is chosen")
	}
	r = b.post(t, "/coordinator/allocations/al-new/propose", url.Values{"pair": {"r-3~s-2", "nonsense", "r-3~s-2"}, "keep": {"r-1~s-1"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/allocations/al-new" {
		t.Errorf("propose: %d to %q", r.code, r.header.Get("Location"))
	}
	c := h.be.rec.called("ProposeAllocationPairs")
	if len(c) != 1 {
		t.Fatalf("ProposeAllocationPairs calls: %d", len(c))
	}
	if p := c[0].req.(*matchingv1.ProposeAllocationPairsRequest); p.GetId() != "al-new" || len(p.GetPairs()) != 1 || p.GetPairs()[0].GetRoomId() != "r-3" || p.GetPairs()[0].GetStudentId() != "s-2" {
		t.Errorf("pairs sent: %v", p)
	}
	if r := b.get(t, "/coordinator/allocations/al-new"); !strings.Contains(r.body, "Les paires choisies sont proposées") {
		t.Error("no confirmation")
	}
	// A refusal of the service is flashed.
	b.post(t, "/coordinator/allocations/al-new/propose", url.Values{"pair": {"r-9~s-1"}})
	if r := b.get(t, "/coordinator/allocations/al-new"); !strings.Contains(r.body, "flash-error") {
		t.Error("refusal not shown")
	}

	// Re-run keeping the ticked pairs.
	r = b.post(t, "/coordinator/allocations", url.Values{"keep": {"r-1~s-1", "r-3~s-2"}, "pair": {"r-3~s-2"}, "requestId": {"rq-b"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("re-run: %d", r.code)
	}
	cc := h.be.rec.called("CreateAllocation")
	if len(cc) != 2 {
		t.Fatalf("CreateAllocation calls: %d", len(cc))
	}
	locked := cc[1].req.(*matchingv1.CreateAllocationRequest).GetLockedPairs()
	if len(locked) != 2 || locked[0].GetRoomId() != "r-1" || locked[0].GetStudentId() != "s-1" || locked[1].GetRoomId() != "r-3" || locked[1].GetStudentId() != "s-2" {
		t.Errorf("locked pairs: %v", locked)
	}
}

func TestRoomsListFilters(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/rooms")
	for _, s := range []string{"<h1>Chambres</h1>", "3 chambres", "Chambre calme près des quais", "Chambre lumineuse avec balcon",
		`href="/coordinator/hosts/h-2">Paul Girard</a>`, `href="/coordinator/rooms/r-3/candidates"`, "180,00\u00a0€ par mois", `<label for="f-maxContribution">`, `type="date"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("rooms list lacks %q", s)
		}
	}
	r = b.get(t, "/coordinator/rooms?city=villeurbanne&status=ROOM_STATUS_PUBLISHED&maxContribution=200&availableFrom=01/03/2027")
	if !strings.Contains(r.body, "1 chambre") || strings.Contains(r.body, "Chambre calme") || !strings.Contains(r.body, `value="villeurbanne"`) ||
		!strings.Contains(r.body, `<option value="ROOM_STATUS_PUBLISHED" selected>`) {
		t.Errorf("filtered list:\n%s", r.body)
	}
	var req *hostsv1.ListRoomsRequest
	for _, c := range h.be.rec.called("ListRooms") {
		req = c.req.(*hostsv1.ListRoomsRequest)
	}
	if req.GetCity() != "villeurbanne" || req.GetStatus() != hostsv1.RoomStatus_ROOM_STATUS_PUBLISHED || req.GetMaxContributionCents() != 20000 || req.GetAvailableFrom() != "2027-03-01" {
		t.Errorf("filters sent: %v", req)
	}
	if r := b.get(t, "/coordinator/rooms?city=Paris"); !strings.Contains(r.body, "Aucune chambre ne correspond à ces filtres.") {
		t.Error("no message for an empty filtered list")
	}
	// Filters typed wrong say so next to their inputs, and nothing is asked.
	n := len(h.be.rec.called("ListRooms"))
	r = b.get(t, "/coordinator/rooms?maxContribution=beaucoup&availableFrom=31/02/2027")
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-maxContribution-error"`) || !strings.Contains(r.body, `id="f-availableFrom-error"`) ||
		len(h.be.rec.called("ListRooms")) != n {
		t.Errorf("bad filters: %d", r.code)
	}
}

func TestContractCancelBeforeTheStay(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	// c-3 is active, its start date to come: it may still be cancelled (SPEC §2 as amended).
	for id, offered := range map[string]bool{"c-1": true, "c-2": true, "c-3": true} {
		r := b.get(t, "/coordinator/contracts/"+id)
		if got := strings.Contains(r.body, `action="/coordinator/contracts/`+id+`/cancel"`); got != offered {
			t.Errorf("%s: cancel offered %v, want %v", id, got, offered)
		}
	}
	r := b.get(t, "/coordinator/contracts/c-2")
	if !strings.Contains(r.body, `<label for="f-cancelReason">Raison de l’annulation`) {
		t.Error("cancel reason not labelled")
	}
	// The reason is required, before the service.
	r = b.post(t, "/coordinator/contracts/c-2/cancel", url.Values{"cancelReason": {"  "}, "etag": {"e-1"}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-cancelReason-error"`) || len(h.be.rec.called("CancelContract")) != 0 {
		t.Errorf("empty reason: %d", r.code)
	}
	// The service's violation of "reason" lands next to the cancel reason, not the notice's.
	r = b.post(t, "/coordinator/contracts/c-2/cancel", url.Values{"cancelReason": {strings.Repeat("x", 201)}, "etag": {"e-1"}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-cancelReason-error"`) {
		t.Errorf("long reason: %d", r.code)
	}
	r = b.post(t, "/coordinator/contracts/c-2/cancel", url.Values{"cancelReason": {"L’étudiante a trouvé un logement"}, "etag": {"e-1"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/contracts/c-2" {
		t.Fatalf("cancel: %d to %q", r.code, r.header.Get("Location"))
	}
	c := h.be.rec.called("CancelContract")
	if req := c[len(c)-1].req.(*contractsv1.CancelContractRequest); req.GetId() != "c-2" || req.GetReason() != "L’étudiante a trouvé un logement" || req.GetEtag() != "e-1" {
		t.Errorf("CancelContract: %v", req)
	}
	if r := b.get(t, "/coordinator/contracts/c-2"); !strings.Contains(r.body, "La convention est annulée.") {
		t.Error("no confirmation")
	}
	// Refused by the service (the stay has begun): flashed.
	b.post(t, "/coordinator/contracts/c-3/cancel", url.Values{"cancelReason": {"Erreur"}})
	if r := b.get(t, "/coordinator/contracts/c-3"); !strings.Contains(r.body, "flash-error") {
		t.Error("refusal not shown")
	}
}

func TestHostSeesRunningContractAndReportsAProblem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "jeanne@example.org")
	r := b.get(t, "/host")
	for _, s := range []string{"La convention est signée par vous deux. Léa Bernard arrive le 15 janvier 2027.", `href="/contracts/c-3/document"`, "Lire ou imprimer la convention (PDF)",
		`href="/host/contracts/c-3/incident"`, `action="/host/contracts/c-4/sign"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("host home lacks %q", s)
		}
	}
	if strings.Contains(r.body, "/host/contracts/c-2/") || strings.Contains(r.body, "/host/contracts/c-3/sign") {
		t.Error("a draft, or a signature of a running contract, offered")
	}
	r = b.get(t, "/host/contracts/c-3/incident")
	if !strings.Contains(r.body, "Pendant le séjour de Léa Bernard chez vous.") || !strings.Contains(r.body, `<a href="/host">`) ||
		!strings.Contains(r.body, `action="/host/contracts/c-3/incident"`) || !strings.Contains(r.body, `class="text-large"`) {
		t.Errorf("host incident page:\n%s", r.body)
	}
	r = b.post(t, "/host/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_MEDIUM"}, "category": {"BEHAVIOUR"}, "description": {"Rentre tard sans prévenir"}, "requestId": {"rq-h"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/host" {
		t.Fatalf("report: %d to %q", r.code, r.header.Get("Location"))
	}
	c := h.be.rec.called("CreateIncident")
	if len(c) != 1 || c[0].auth != "Bearer tok-host" || c[0].req.(*contractsv1.CreateIncidentRequest).GetContractId() != "c-3" ||
		c[0].req.(*contractsv1.CreateIncidentRequest).GetSeverity() != contractsv1.Severity_SEVERITY_MEDIUM {
		t.Errorf("CreateIncident: %v", c)
	}
	if r := b.get(t, "/host"); !strings.Contains(r.body, "Votre signalement est enregistré") {
		t.Error("no confirmation")
	}
}

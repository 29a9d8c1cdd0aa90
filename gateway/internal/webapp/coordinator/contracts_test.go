package coordinator_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

func TestContractCancelBeforeTheStay(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	// c-3 is active, its start date to come: it may still be cancelled (SPEC §2 as amended).
	for id, offered := range map[string]bool{"c-1": true, "c-2": true, "c-3": true} {
		r := b.Get(t, "/coordinator/contracts/"+id)
		if got := strings.Contains(r.Body, `action="/coordinator/contracts/`+id+`/cancel"`); got != offered {
			t.Errorf("%s: cancel offered %v, want %v", id, got, offered)
		}
	}
	r := b.Get(t, "/coordinator/contracts/c-2")
	if !strings.Contains(r.Body, `<label for="f-cancelReason">Raison de l’annulation`) {
		t.Error("cancel reason not labelled")
	}
	// The reason is required, before the service.
	r = b.Post(t, "/coordinator/contracts/c-2/cancel", url.Values{"cancelReason": {"  "}, "etag": {"e-1"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-cancelReason-error"`) || len(h.Be.Rec.Called("CancelContract")) != 0 {
		t.Errorf("empty reason: %d", r.Code)
	}
	// The service's violation of "reason" lands next to the cancel reason, not the notice's.
	r = b.Post(t, "/coordinator/contracts/c-2/cancel", url.Values{"cancelReason": {strings.Repeat("x", 201)}, "etag": {"e-1"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-cancelReason-error"`) {
		t.Errorf("long reason: %d", r.Code)
	}
	r = b.Post(t, "/coordinator/contracts/c-2/cancel", url.Values{"cancelReason": {"L’étudiante a trouvé un logement"}, "etag": {"e-1"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/contracts/c-2" {
		t.Fatalf("cancel: %d to %q", r.Code, r.Header.Get("Location"))
	}
	c := h.Be.Rec.Called("CancelContract")
	if req := c[len(c)-1].Req.(*contractsv1.CancelContractRequest); req.GetId() != "c-2" || req.GetReason() != "L’étudiante a trouvé un logement" || req.GetEtag() != "e-1" {
		t.Errorf("CancelContract: %v", req)
	}
	if r := b.Get(t, "/coordinator/contracts/c-2"); !strings.Contains(r.Body, "La convention est annulée.") {
		t.Error("no confirmation")
	}
	// Refused by the service (the stay has begun): flashed.
	b.Post(t, "/coordinator/contracts/c-3/cancel", url.Values{"cancelReason": {"Erreur"}})
	if r := b.Get(t, "/coordinator/contracts/c-3"); !strings.Contains(r.Body, "flash-error") {
		t.Error("refusal not shown")
	}
}

// Finding 5: the coordinator records a paper or in-person signature for either party, with
// or without an account (the host's page promises it to a host who has one).
func TestCoordinatorRecordsAPaperSignatureForEitherParty(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	// c-4: neither has signed; the host is not the assisted kind of the old rule.
	r := b.Get(t, "/coordinator/contracts/c-4")
	for _, s := range []string{`action="/coordinator/contracts/c-4/sign"`, `value="PARTY_HOST"`, `value="PARTY_STUDENT"`, `value="SIGNATURE_METHOD_IN_PERSON"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("contract page lacks %q", s)
		}
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("contract page: %v", p)
	}
	// c-1: the student signed; only the host is left, preselected.
	if r := b.Get(t, "/coordinator/contracts/c-1"); strings.Contains(r.Body, `value="PARTY_STUDENT"`) || !strings.Contains(r.Body, `value="PARTY_HOST" checked`) {
		t.Error("a party who signed is offered, or the one left is not preselected")
	}
	// Who signed is required.
	if r := b.Post(t, "/coordinator/contracts/c-4/sign", url.Values{"method": {"SIGNATURE_METHOD_PAPER"}}); r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-signParty-error"`) {
		t.Errorf("no party: %d", r.Code)
	}
	for _, p := range []matchingv1.Party{matchingv1.Party_PARTY_STUDENT, matchingv1.Party_PARTY_HOST} {
		if r := b.Post(t, "/coordinator/contracts/c-4/sign", url.Values{"method": {"SIGNATURE_METHOD_IN_PERSON"}, "signParty": {p.String()}}); r.Code != http.StatusSeeOther {
			t.Errorf("sign for %s: %d", p, r.Code)
		}
	}
	c := h.Be.Rec.Called("SignContract")
	if len(c) != 2 || c[0].Req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_STUDENT ||
		c[1].Req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_HOST ||
		c[0].Req.(*contractsv1.SignContractRequest).GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_IN_PERSON {
		t.Errorf("SignContract: %v", c)
	}
}

// The amended contract rules in the coordinator's contract page (SPEC §2 as amended): every
// term of a draft, its dates and presence included; a contract awaiting signatures reopened
// to correct it; an active one cancelled before its start date; a date outside the room's
// availability refused next to its field, in the page's language.
func TestContractDraftDatesPresenceReopenAndCancelBeforeStart(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Get(t, "/coordinator/contracts/c-2")
	for _, s := range []string{`name="startDate" type="date" value="2027-01-15"`, `name="endDate_terms" type="date" value="2027-06-30"`, `name="evenings" type="number" value="3"`, `name="hours" type="number" value="4"`, "La chambre est disponible du 1 janvier 2027 au 30 juin 2027"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("draft form lacks %s", s)
		}
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("draft page: %v", p)
	}
	form := url.Values{"sharedSpaces": {"cuisine"}, "houseRules": {""}, "entryInventory": {""}, "contribution": {"100"}, "etag": {"e-1"},
		"startDate": {"2027-02-01"}, "endDate_terms": {"2027-09-30"}, "evenings": {"2"}, "hours": {"3"}}
	r = b.Post(t, "/coordinator/contracts/c-2/terms", form)
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-endDate-terms-error"`) || !strings.Contains(r.Body, "disponible que jusqu’au 30 juin 2027") || strings.Contains(r.Body, "availability ends") {
		t.Errorf("an end past the room's availability: %d", r.Code)
	}
	form.Set("endDate_terms", "2027-06-15")
	if r := b.Post(t, "/coordinator/contracts/c-2/terms", form); r.Code != http.StatusSeeOther {
		t.Fatalf("terms: %d", r.Code)
	}
	c := h.Be.Rec.Called("UpdateContract")
	u := c[len(c)-1].Req.(*contractsv1.UpdateContractRequest)
	if tm := u.GetContract().GetTerms(); tm.GetStartDate() != "2027-02-01" || tm.GetEndDate() != "2027-06-15" || tm.GetEveningsPerWeek() != 2 || tm.GetHoursPerWeek() != 3 ||
		!slices.Contains(u.GetUpdateMask().GetPaths(), "terms.end_date") || !slices.Contains(u.GetUpdateMask().GetPaths(), "terms.evenings_per_week") {
		t.Errorf("UpdateContract: %v", u)
	}

	// Awaiting signatures: reopened to correct, the page saying signatures are cleared.
	r = b.Get(t, "/coordinator/contracts/c-1")
	if !strings.Contains(r.Body, `action="/coordinator/contracts/c-1/reopen"`) || !strings.Contains(r.Body, "les signatures déjà données sont effacées") {
		t.Error("no way to reopen a contract awaiting signatures")
	}
	if r := b.Post(t, "/coordinator/contracts/c-1/reopen", url.Values{"etag": {"e-1"}}); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/contracts/c-1" {
		t.Errorf("reopen: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if c := h.Be.Rec.Called("ReopenContract"); len(c) != 1 || c[0].Req.(*contractsv1.ReopenContractRequest).GetEtag() != "e-1" {
		t.Errorf("ReopenContract: %v", c)
	}
	// Active before its start (c-3 starts on 15 January 2027): it may be cancelled.
	if r := b.Get(t, "/coordinator/contracts/c-3"); !strings.Contains(r.Body, `action="/coordinator/contracts/c-3/cancel"`) {
		t.Error("an active contract before its start cannot be cancelled")
	}
}

// A contract links to its pair, its match and its check-ins; a match to its pair.
func TestContractAndMatchLinkTheirPairMatchAndCheckins(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Get(t, "/coordinator/contracts/c-3")
	for _, s := range []string{`href="/coordinator/hosts/h-1"`, `href="/coordinator/students/s-1"`, `href="/coordinator/matches/m-4"`, `href="/coordinator/checkins/ci-6?contract=c-3"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("contract page lacks %s", s)
		}
	}
	if r := b.Get(t, "/coordinator/matches/m-4"); !strings.Contains(r.Body, `href="/coordinator/hosts/h-1"`) || !strings.Contains(r.Body, `href="/coordinator/students/s-1"`) {
		t.Error("match page does not link its pair")
	}
}

func TestContractPageAndActions(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/contracts?status=CONTRACT_STATUS_AWAITING_SIGNATURES")
	if !strings.Contains(r.Body, `href="/coordinator/contracts/c-1"`) || !strings.Contains(r.Body, `<option value="CONTRACT_STATUS_AWAITING_SIGNATURES" selected>`) {
		t.Errorf("list:\n%s", r.Body)
	}

	// Awaiting signatures, the host assisted: her signature is recorded with the coordinator.
	r = b.Get(t, "/coordinator/contracts/c-1")
	for _, s := range []string{"<h1>Convention de Jeanne Martin et Léa Bernard</h1>", `href="/contracts/c-1/document"`, "150,50\u00a0€",
		"cuisine, salon", "Pas encore signée", "En ligne", "24 novembre 2026 à 19:00", "Sur papier (convention imprimée", `type="radio"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("contract page lacks %q", s)
		}
	}
	b.Post(t, "/coordinator/contracts/c-1/sign", url.Values{"method": {"SIGNATURE_METHOD_ELECTRONIC"}, "signParty": {"PARTY_HOST"}})
	if len(h.Be.Rec.Called("SignContract")) != 0 {
		t.Error("an electronic signature on behalf reached the service")
	}
	if r := b.Post(t, "/coordinator/contracts/c-1/sign", url.Values{"method": {"SIGNATURE_METHOD_PAPER"}, "signParty": {"PARTY_HOST"}}); r.Header.Get("Location") != "/coordinator/contracts/c-1" {
		t.Errorf("sign: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if c := h.Be.Rec.Called("SignContract"); len(c) != 1 || c[0].Req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_HOST ||
		c[0].Req.(*contractsv1.SignContractRequest).GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER {
		t.Errorf("SignContract: %v", c)
	}

	// A draft: the key terms change, with the service's errors next to their inputs.
	r = b.Get(t, "/coordinator/contracts/c-2")
	if !strings.Contains(r.Body, `value="150,50"`) || !strings.Contains(r.Body, "Envoyer pour signature") {
		t.Error("draft: terms form or send button missing")
	}
	r = b.Post(t, "/coordinator/contracts/c-2/terms", url.Values{"sharedSpaces": {"cuisine, jardin ;salon"}, "houseRules": {"Calme après 22 h"}, "entryInventory": {"Lit, bureau"}, "contribution": {"300"}, "etag": {"e-1"}})
	if r.Code != http.StatusBadRequest || !regexp.MustCompile(`(?s)id="f-contribution-error".*f-contribution`).MatchString(r.Body) || !strings.Contains(r.Body, "dépasse le plafond") || strings.Contains(r.Body, "€200.00") {
		t.Errorf("cap refusal not next to the contribution: %d\n%s", r.Code, r.Body)
	}
	if !strings.Contains(r.Body, "Calme après 22 h") {
		t.Error("the typed terms are lost")
	}
	r = b.Post(t, "/coordinator/contracts/c-2/terms", url.Values{"sharedSpaces": {"cuisine, jardin ;salon"}, "houseRules": {"Calme après 22 h"}, "entryInventory": {"Lit, bureau"}, "contribution": {"120,5"}, "etag": {"e-1"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("terms: %d\n%s", r.Code, r.Body)
	}
	c := h.Be.Rec.Called("UpdateContract")
	if len(c) != 2 {
		t.Fatalf("UpdateContract calls: %d", len(c))
	}
	u := c[1].Req.(*contractsv1.UpdateContractRequest)
	if got := u.GetContract().GetTerms(); !slices.Equal(got.GetSharedSpaces(), []string{"cuisine", "jardin", "salon"}) || got.GetMonthlyContributionCents() != 12050 ||
		got.GetHouseRules() != "Calme après 22 h" || got.GetEntryInventory() != "Lit, bureau" || u.GetContract().GetEtag() != "e-1" {
		t.Errorf("terms sent: %v", u)
	}
	if !slices.Equal(u.GetUpdateMask().GetPaths(), []string{"terms.shared_spaces", "terms.house_rules", "terms.entry_inventory", "terms.monthly_contribution_cents"}) {
		t.Errorf("mask: %v", u.GetUpdateMask().GetPaths())
	}
	b.Post(t, "/coordinator/contracts/c-2/send", nil)
	if len(h.Be.Rec.Called("SendContract")) != 1 {
		t.Error("not sent")
	}

	// Active: a notice too short is refused, the earliest date named next to the date, in
	// the page's language.
	r = b.Post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Départ en stage"}, "effectiveDate": {"01/12/2026"}, "party": {"PARTY_STUDENT"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, "la date la plus proche possible est le 25 décembre 2026") ||
		!regexp.MustCompile(`(?s)id="f-effectiveDate-error".*aria-invalid="true" aria-describedby="f-effectiveDate-hint f-effectiveDate-error"`).MatchString(r.Body) {
		t.Errorf("notice refusal: %d\n%s", r.Code, r.Body)
	}
	if tr := h.Be.Rec.Called("TerminateContract"); len(tr) != 1 || tr[0].Req.(*contractsv1.TerminateContractRequest).GetEffectiveDate() != "2026-12-01" ||
		tr[0].Req.(*contractsv1.TerminateContractRequest).GetParty() != matchingv1.Party_PARTY_STUDENT {
		t.Errorf("TerminateContract: %v", tr)
	}
	b.SetLang(t, "en")
	r = b.Post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Internship"}, "effectiveDate": {"2026-12-01"}})
	if !strings.Contains(r.Body, "the earliest possible date is 25 December 2026") {
		t.Error("notice refusal not in English")
	}
	if r := b.Post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {""}, "effectiveDate": {"2027-01-10"}}); r.Code != http.StatusBadRequest || len(h.Be.Rec.Called("TerminateContract")) != 2 {
		t.Error("a notice without reason reached the service")
	}
	if r := b.Post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Internship"}, "effectiveDate": {"2027-01-10"}}); r.Code != http.StatusSeeOther {
		t.Errorf("terminate: %d", r.Code)
	}
	// Renew.
	r = b.Post(t, "/coordinator/contracts/c-3/renew", url.Values{"endDate": {"2027-05-01"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, "Choose a date after the current end, 30 June 2027.") {
		t.Errorf("renew refusal: %d", r.Code)
	}
	if r := b.Post(t, "/coordinator/contracts/c-3/renew", url.Values{"endDate": {"2027-09-30"}}); r.Code != http.StatusSeeOther {
		t.Errorf("renew: %d", r.Code)
	}
}

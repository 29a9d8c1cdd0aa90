package coordinator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

// A room's ranking goes on page after page: the first page links to the next with the
// service's token and the rank it starts at; the next numbers its candidates from there.
func TestCandidatesPageThroughTheRanking(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/rooms/r-1/candidates")
	if !strings.Contains(r.Body, `href="/coordinator/rooms/r-1/candidates?after=tok-lea&amp;from=2"`) || !strings.Contains(r.Body, "Candidats 1 à 1") {
		t.Errorf("first page: no link to the next one, or no range\n%s", r.Body)
	}
	if strings.Contains(r.Body, "Revenir aux premiers") {
		t.Error("the first page links to itself")
	}
	r = b.Get(t, "/coordinator/rooms/r-1/candidates?after=tok-lea&from=2")
	for _, s := range []string{"Hugo Petit", `<ol class="ranks" start="2">`, "Candidats 2 à 2", "Revenir aux premiers"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("second page lacks %q", s)
		}
	}
	if strings.Contains(r.Body, "Candidats suivants") {
		t.Error("the last page links to a next one")
	}
	var tokens []string
	for _, c := range h.Be.Rec.Called("ListCandidates") {
		tokens = append(tokens, c.Req.(*matchingv1.ListCandidatesRequest).GetPageToken())
	}
	if strings.Join(tokens, ",") != ",tok-lea" {
		t.Errorf("page tokens sent: %q", tokens)
	}
}

func TestCandidatesShowBreakdownInFrenchThenEnglish(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Get(t, "/coordinator/rooms/r-1/candidates")
	if r.Code != http.StatusOK {
		t.Fatalf("code %d\n%s", r.Code, r.Body)
	}
	for _, s := range []string{`<html lang="fr">`, "Services en commun : compagnie", "Langue partagée : français", "À 2,4 km du lieu d’études",
		"82,5/100", "Trajet", "80\u00a0%", "12,5 sur 25", "150,00\u00a0€ par mois", "1 janvier 2027", "Proposer cette chambre"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("French page lacks %q", s)
		}
	}
	if strings.Contains(r.Body, "Services in common") {
		t.Error("French page shows the English reason")
	}
	b.SetLang(t, "en")
	r = b.Get(t, "/coordinator/rooms/r-1/candidates")
	for _, s := range []string{`<html lang="en">`, "Services in common: company", "Shared language: French", "2.4 km from the place of study",
		"82.5/100", "Commute", "80%", "12.5 of 25", "€150.00 a month", "1 January 2027", "Propose this room"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("English page lacks %q", s)
		}
	}
	if strings.Contains(r.Body, "Services en commun") {
		t.Error("English page shows the French reason")
	}
	// Proposing goes back to the page with a message.
	r = b.Post(t, "/coordinator/rooms/r-1/propose", url.Values{"studentId": {"s-1"}, "next": {"/coordinator/rooms/r-1/candidates"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/rooms/r-1/candidates" {
		t.Fatalf("propose: %d to %q", r.Code, r.Header.Get("Location"))
	}
	calls := h.Be.Rec.Called("CreateMatch")
	if len(calls) != 1 || calls[0].Req.(*matchingv1.CreateMatchRequest).GetStudentId() != "s-1" || calls[0].Req.(*matchingv1.CreateMatchRequest).GetRoomId() != "r-1" {
		t.Errorf("CreateMatch calls: %v", calls)
	}
	if r := b.Get(t, "/coordinator/rooms/r-1/candidates"); !strings.Contains(r.Body, "The proposal is recorded. The host and the student are told as they chose") {
		t.Error("no confirmation after proposing")
	}
}

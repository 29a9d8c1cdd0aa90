package coordinator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

func TestScheduleMeetingInParisTime(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Post(t, "/coordinator/matches/m-1/schedule", url.Values{"meetingAt": {"2026-12-01T15:30"}, "next": {"/coordinator#matches"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator#matches" {
		t.Fatalf("%d to %q", r.Code, r.Header.Get("Location"))
	}
	c := h.Be.Rec.Called("ScheduleMeeting")
	if len(c) != 1 {
		t.Fatalf("ScheduleMeeting calls: %d", len(c))
	}
	if got := c[0].Req.(*matchingv1.ScheduleMeetingRequest).GetMeetingAt().AsTime().Format(time.RFC3339); got != "2026-12-01T14:30:00Z" {
		t.Errorf("meetingAt = %s, want 15:30 Paris = 14:30 UTC", got)
	}
	if r := b.Get(t, "/coordinator"); !strings.Contains(r.Body, "La rencontre est planifiée.") {
		t.Error("no confirmation")
	}
	// An empty date is refused here, with a message.
	b.Post(t, "/coordinator/matches/m-1/schedule", url.Values{"meetingAt": {""}})
	if len(h.Be.Rec.Called("ScheduleMeeting")) != 1 {
		t.Error("an empty date reached the service")
	}
	if r := b.Get(t, "/coordinator"); !strings.Contains(r.Body, "Indiquez la date et l’heure de la rencontre.") {
		t.Error("no message for an empty date")
	}
}

func TestMatchPageActions(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	// The list passes its filter on, and links each match to its page.
	r := b.Get(t, "/coordinator/matches?status=MATCH_STATUS_PROPOSED")
	if c := h.Be.Rec.Called("ListMatches"); len(c) != 1 || c[0].Req.(*matchingv1.ListMatchesRequest).GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_PROPOSED {
		t.Errorf("ListMatches: %v", c)
	}
	if !strings.Contains(r.Body, `href="/coordinator/matches/m-1"`) || !strings.Contains(r.Body, `<option value="MATCH_STATUS_PROPOSED" selected>`) {
		t.Errorf("list:\n%s", r.Body)
	}

	// A meeting scheduled, the host's yes recorded by the coordinator: the student's answer
	// may be given on her behalf; no approval yet.
	r = b.Get(t, "/coordinator/matches/m-2")
	for _, s := range []string{"<h1>Jeanne Martin et Léa Bernard</h1>", "(réponse enregistrée par l’association)", "Léa Bernard accepte",
		"Léa Bernard refuse", `name="party" value="PARTY_STUDENT"`, "28 novembre 2026 à 15:30", "Annuler la mise en relation"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("match page lacks %q", s)
		}
	}
	if strings.Contains(r.Body, "Jeanne Martin accepte") || strings.Contains(r.Body, "/approve") {
		t.Error("the host's answer or approval offered again")
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("accessibility: %v", p)
	}

	// The student's yes, on her behalf.
	r = b.Post(t, "/coordinator/matches/m-2/answer", url.Values{"party": {"PARTY_STUDENT"}, "answer": {"accept"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/matches/m-2" {
		t.Fatalf("answer: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if c := h.Be.Rec.Called("AcceptMatch"); len(c) != 1 || c[0].Req.(*matchingv1.AcceptMatchRequest).GetParty() != matchingv1.Party_PARTY_STUDENT || c[0].Auth != "Bearer tok-coord" {
		t.Errorf("AcceptMatch: %v", c)
	}
	if r := b.Get(t, "/coordinator/matches/m-2"); !strings.Contains(r.Body, "L’accord est enregistré.") {
		t.Error("no confirmation of the answer")
	}
	// A no needs its reason, and says for whom.
	b.Post(t, "/coordinator/matches/m-2/answer", url.Values{"party": {"PARTY_HOST"}, "answer": {"decline"}, "reason": {" "}})
	b.Post(t, "/coordinator/matches/m-2/answer", url.Values{"answer": {"decline"}, "reason": {"Santé"}})
	if len(h.Be.Rec.Called("DeclineMatch")) != 0 {
		t.Error("a refusal without reason or party reached the service")
	}
	b.Post(t, "/coordinator/matches/m-2/answer", url.Values{"party": {"PARTY_HOST"}, "answer": {"decline"}, "reason": {"Elle part chez sa fille"}})
	if c := h.Be.Rec.Called("DeclineMatch"); len(c) != 1 || c[0].Req.(*matchingv1.DeclineMatchRequest).GetParty() != matchingv1.Party_PARTY_HOST ||
		c[0].Req.(*matchingv1.DeclineMatchRequest).GetReason() != "Elle part chez sa fille" {
		t.Errorf("DeclineMatch: %v", c)
	}

	// Both said yes: approve.
	r = b.Get(t, "/coordinator/matches/m-4")
	if !strings.Contains(r.Body, `action="/coordinator/matches/m-4/approve"`) || strings.Contains(r.Body, "accepte</button>") {
		t.Error("approval not offered, or answers still offered")
	}
	if r := b.Post(t, "/coordinator/matches/m-4/approve", nil); r.Header.Get("Location") != "/coordinator/matches/m-4" {
		t.Errorf("approve: to %q", r.Header.Get("Location"))
	}
	if r := b.Get(t, "/coordinator/matches/m-4"); !strings.Contains(r.Body, "La mise en relation est approuvée") {
		t.Error("no confirmation of the approval")
	}
	// The service's refusal is flashed.
	b.Post(t, "/coordinator/matches/m-1/approve", nil)
	if r := b.Get(t, "/coordinator/matches/m-1"); !strings.Contains(r.Body, "pas possible à cette étape") || strings.Contains(r.Body, "both parties must accept first") {
		t.Error("refusal not shown")
	}

	// Cancel needs a reason.
	b.Post(t, "/coordinator/matches/m-1/cancel", url.Values{"reason": {""}})
	if len(h.Be.Rec.Called("CancelMatch")) != 0 {
		t.Error("a cancellation without reason reached the service")
	}
	if r := b.Get(t, "/coordinator/matches/m-1"); !strings.Contains(r.Body, "Indiquez le motif de l’annulation.") {
		t.Error("no message for a cancellation without reason")
	}
	b.Post(t, "/coordinator/matches/m-1/cancel", url.Values{"reason": {"Chambre retirée"}})
	if c := h.Be.Rec.Called("CancelMatch"); len(c) != 1 || c[0].Req.(*matchingv1.CancelMatchRequest).GetReason() != "Chambre retirée" {
		t.Errorf("CancelMatch: %v", c)
	}

	// A declined match shows who said no and why, and offers nothing more.
	r = b.Get(t, "/coordinator/matches/m-5")
	if !strings.Contains(r.Body, "Trop loin de l’université") || strings.Contains(r.Body, "/cancel") {
		t.Error("declined match: reason missing or actions offered")
	}
}

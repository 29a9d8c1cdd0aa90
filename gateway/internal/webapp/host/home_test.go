package host_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

func TestHostSeesRunningContractAndReportsAProblem(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "jeanne@example.org")
	r := b.Get(t, "/host")
	for _, s := range []string{"La convention est signée par vous deux. Léa Bernard arrive le 15 janvier 2027.", `href="/contracts/c-3/document"`, "Lire ou imprimer la convention (PDF)",
		`href="/host/contracts/c-3/incident"`, `action="/host/contracts/c-4/sign"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("host home lacks %q", s)
		}
	}
	if strings.Contains(r.Body, "/host/contracts/c-2/") || strings.Contains(r.Body, "/host/contracts/c-3/sign") {
		t.Error("a draft, or a signature of a running contract, offered")
	}
	r = b.Get(t, "/host/contracts/c-3/incident")
	if !strings.Contains(r.Body, "Pendant le séjour de Léa Bernard chez vous.") || !strings.Contains(r.Body, `<a href="/host">`) ||
		!strings.Contains(r.Body, `action="/host/contracts/c-3/incident"`) || !strings.Contains(r.Body, `class="text-large"`) {
		t.Errorf("host incident page:\n%s", r.Body)
	}
	r = b.Post(t, "/host/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_MEDIUM"}, "category": {"BEHAVIOUR"}, "description": {"Rentre tard sans prévenir"}, "requestId": {"rq-h"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/host" {
		t.Fatalf("report: %d to %q", r.Code, r.Header.Get("Location"))
	}
	c := h.Be.Rec.Called("CreateIncident")
	if len(c) != 1 || c[0].Auth != "Bearer tok-host" || c[0].Req.(*contractsv1.CreateIncidentRequest).GetContractId() != "c-3" ||
		c[0].Req.(*contractsv1.CreateIncidentRequest).GetSeverity() != contractsv1.Severity_SEVERITY_MEDIUM {
		t.Errorf("CreateIncident: %v", c)
	}
	if r := b.Get(t, "/host"); !strings.Contains(r.Body, "Votre signalement est enregistré") {
		t.Error("no confirmation")
	}
}

func TestHostHomeIsLargeTypeByDefault(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "jeanne@example.org")
	r := b.Get(t, "/host")
	if r.Code != http.StatusOK {
		t.Fatalf("code %d\n%s", r.Code, r.Body)
	}
	for _, s := range []string{`<html lang="fr" class="text-large">`, `aria-pressed="true"`, "Bonjour Jeanne Martin",
		"Léa Bernard", "J’accepte", "Je signe la convention", `href="tel:&#43;33400000000"`, "Appeler le &#43;33 4 00 00 00 00",
		"Chambre calme près des quais"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("host home lacks %q", s)
		}
	}
	// Normal size, one click away, kept in a cookie.
	if r := b.Post(t, "/prefs/text", url.Values{"text": {"normal"}, "next": {"/host"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("text size: %d", r.Code)
	}
	if r := b.Get(t, "/host"); !strings.Contains(r.Body, `<html lang="fr">`) || !strings.Contains(r.Body, `aria-pressed="false"`) {
		t.Error("large type still on after switching it off")
	}
	// The host answers and signs as herself: the party is implied by her token.
	// She answers after the meeting: a proposal without one only says so.
	if !strings.Contains(r.Body, "Elle vous appelle pour organiser une rencontre") || strings.Count(r.Body, "J’accepte") != 1 ||
		!strings.Contains(r.Body, `action="/host/matches/m-3/accept"`) {
		t.Error("accept offered before the meeting, or not after it")
	}
	if r := b.Post(t, "/host/matches/m-3/accept", url.Values{"next": {"/host"}}); r.Code != http.StatusSeeOther {
		t.Errorf("accept: %d", r.Code)
	}
	// A no needs a reason.
	if r := b.Post(t, "/host/matches/m-1/decline", url.Values{"next": {"/host"}, "reason": {"  "}}); r.Code != http.StatusSeeOther {
		t.Errorf("decline without reason: %d", r.Code)
	}
	if n := len(h.Be.Rec.Called("DeclineMatch")); n != 0 {
		t.Errorf("DeclineMatch called without a reason")
	}
	if r := b.Get(t, "/host"); !strings.Contains(r.Body, "Dites en quelques mots pourquoi vous refusez") {
		t.Error("no message for a decline without reason")
	}
	if r := b.Post(t, "/host/matches/m-1/decline", url.Values{"next": {"/host"}, "reason": {"Je pars en voyage"}}); r.Code != http.StatusSeeOther {
		t.Errorf("decline: %d", r.Code)
	}
	if c := h.Be.Rec.Called("DeclineMatch"); len(c) != 1 || c[0].Req.(*matchingv1.DeclineMatchRequest).GetReason() != "Je pars en voyage" {
		t.Errorf("DeclineMatch: %v", c)
	}
	if r := b.Post(t, "/host/contracts/c-1/sign", url.Values{"next": {"/host"}}); r.Code != http.StatusSeeOther {
		t.Errorf("sign: %d", r.Code)
	}
	for _, m := range []string{"AcceptMatch", "SignContract"} {
		calls := h.Be.Rec.Called(m)
		if len(calls) != 1 || calls[0].Auth != "Bearer tok-host" {
			t.Errorf("%s: %v", m, calls)
		}
	}
	// The coordinator's pages keep normal type.
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	if r := c.Get(t, "/coordinator"); !strings.Contains(r.Body, `<html lang="fr">`) {
		t.Error("coordinator pages in large type by default")
	}
}

package coordinator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

// Finding 6: a completed check-in shows what was recorded, and its concern stays on the
// dashboard until an incident answers it (opened from the check-in's page).
func TestCheckinShowsWhatWasRecordedAndItsConcernStaysUntilHandled(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/checkins/ci-5?contract=c-9")
	for _, s := range []string{"Ce qui a été noté", "Visite", "2 — Plutôt mal", "4 — Bien", "Marcel dort mal depuis sa chute.", "inquiétude signalée", "(fait en retard)",
		`action="/coordinator/checkins/ci-5/incident"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("done check-in lacks %q", s)
		}
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("check-in page: %v", p)
	}

	// The dashboard keeps ci-5's concern (no incident since), not ci-6's (i-1 on c-3 came
	// after it), nor a check-in done without one.
	r = b.Get(t, "/coordinator")
	if !strings.Contains(r.Body, `href="/coordinator/checkins/ci-5?contract=c-9"`) || !strings.Contains(r.Body, "inquiétudes à traiter") {
		t.Error("the open concern is not on the dashboard")
	}
	if strings.Contains(r.Body, "/coordinator/checkins/ci-6") || strings.Contains(r.Body, "/coordinator/checkins/ci-7") {
		t.Error("a handled concern, or a check-in without one, is on the dashboard")
	}
	if r := b.Get(t, "/coordinator/checkins/ci-6?contract=c-3"); !strings.Contains(r.Body, "Un incident a été ouvert depuis ce suivi") || strings.Contains(r.Body, "/incident\"") {
		t.Error("a handled concern still offers an incident")
	}

	// Opening the incident: a description the parties may read is required.
	if r := b.Post(t, "/coordinator/checkins/ci-5/incident", url.Values{"contract": {"c-9"}, "severity": {"SEVERITY_HIGH"}, "description": {" "}}); r.Code != http.StatusBadRequest ||
		!strings.Contains(r.Body, `id="f-description-error"`) {
		t.Errorf("empty description: %d", r.Code)
	}
	r = b.Post(t, "/coordinator/checkins/ci-5/incident", url.Values{"contract": {"c-9"}, "severity": {"SEVERITY_HIGH"}, "description": {"Point à faire sur le sommeil de Marcel"}, "requestId": {"rq-9"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/incidents" {
		t.Fatalf("open incident: %d to %q", r.Code, r.Header.Get("Location"))
	}
	c := h.Be.Rec.Called("CreateIncident")
	if len(c) != 1 {
		t.Fatalf("CreateIncident calls: %d", len(c))
	}
	if in := c[0].Req.(*contractsv1.CreateIncidentRequest); in.GetContractId() != "c-9" || in.GetSeverity() != contractsv1.Severity_SEVERITY_HIGH || in.GetRequestId() != "rq-9" ||
		strings.Contains(in.GetDescription(), "dort mal") || c[0].Auth != "Bearer tok-coord" {
		t.Errorf("CreateIncident: %v", in)
	}
}

func TestCheckinAgendaAndCompletion(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	// Today is 25 November: ci-1 (24th) is overdue, ci-2 due today, ci-4 to come, ci-3 missed.
	r := b.Get(t, "/coordinator/checkins")
	body := r.Body
	iOver, iToday, iMissed, iUp := strings.Index(body, `id="ck-overdue"`), strings.Index(body, `id="ck-today"`), strings.Index(body, `id="ck-missed"`), strings.Index(body, `id="ck-upcoming"`)
	at := func(id string) int { return strings.Index(body, "/coordinator/checkins/"+id+"?") }
	if !(iOver < at("ci-1") && at("ci-1") < iToday && iToday < at("ci-2") && at("ci-2") < iMissed && iMissed < at("ci-3") && at("ci-3") < iUp && iUp < at("ci-4")) {
		t.Errorf("agenda order wrong: %d %d %d %d / %d %d %d %d", iOver, iToday, iMissed, iUp, at("ci-1"), at("ci-2"), at("ci-3"), at("ci-4"))
	}

	// The form: method and the two wellbeing marks as labelled radio buttons.
	r = b.Get(t, "/coordinator/checkins/ci-1?contract=c-9")
	for _, s := range []string{"<h1>Suivi de Marcel Blanc et Inès Moreau</h1>", `<legend>Comment va l’hôte ? <span class="req">`, `id="f-hostWellbeing-5"`,
		`<label for="f-studentWellbeing-1">1 — Mal</label>`, `value="CHECKIN_METHOD_PHONE" checked`, `name="concern"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("check-in form lacks %q", s)
		}
	}
	// Marks missing: errors next to the groups, nothing sent.
	r = b.Post(t, "/coordinator/checkins/ci-1?contract=c-9", url.Values{"contract": {"c-9"}, "method": {"CHECKIN_METHOD_VISIT"}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-hostWellbeing-error"`) || !strings.Contains(r.Body, `id="f-studentWellbeing-error"`) ||
		!strings.Contains(r.Body, `value="CHECKIN_METHOD_VISIT" checked`) || len(h.Be.Rec.Called("CompleteCheckin")) != 0 {
		t.Errorf("missing marks: %d", r.Code)
	}
	// The service's refusal next to its field.
	r = b.Post(t, "/coordinator/checkins/ci-1?contract=c-9", url.Values{"contract": {"c-9"}, "method": {"CHECKIN_METHOD_VISIT"}, "hostWellbeing": {"4"}, "studentWellbeing": {"2"}, "notes": {strings.Repeat("n", 60)}})
	if r.Code != http.StatusBadRequest || !strings.Contains(r.Body, `id="f-notes-error"`) || !strings.Contains(r.Body, `id="f-hostWellbeing-4" name="hostWellbeing" value="4" checked`) {
		t.Errorf("notes refusal: %d", r.Code)
	}
	r = b.Post(t, "/coordinator/checkins/ci-1?contract=c-9", url.Values{"contract": {"c-9"}, "method": {"CHECKIN_METHOD_VISIT"}, "hostWellbeing": {"4"}, "studentWellbeing": {"2"}, "notes": {"Léa fatiguée"}, "concern": {"on"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/checkins" {
		t.Fatalf("complete: %d to %q", r.Code, r.Header.Get("Location"))
	}
	c := h.Be.Rec.Called("CompleteCheckin")
	if in := c[len(c)-1].Req.(*contractsv1.CompleteCheckinRequest); in.GetId() != "ci-1" || in.GetMethod() != contractsv1.CheckinMethod_CHECKIN_METHOD_VISIT ||
		in.GetHostWellbeing() != 4 || in.GetStudentWellbeing() != 2 || !in.GetConcern() || in.GetNotes() != "Léa fatiguée" {
		t.Errorf("CompleteCheckin: %v", in)
	}
	// A check-in already done says so.
	if r := b.Get(t, "/coordinator/checkins/ci-5?contract=c-9"); !strings.Contains(r.Body, "Ce suivi est fait") || strings.Contains(r.Body, "Enregistrer le suivi") {
		t.Error("a done check-in offers the form")
	}
}

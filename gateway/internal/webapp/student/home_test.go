package student_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// The student withdraws her own application from her home; nobody else reaches the
// coordinator's student pages.
func TestStudentWithdrawsAndWhoSeesStudentPages(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	// She waits in the pool, a proposal not yet met: her application is hers to withdraw.
	h.Be.Sc.Stage([]*matchingv1.Match{webapptest.Match("m-1", matchingv1.MatchStatus_MATCH_STATUS_PROPOSED)}, nil, nil, []*studentsv1.Application{{
		Id: "a-1", StudentId: "s-1", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, BudgetCents: 20000, MoveInDate: "2027-01-15",
	}})
	lea := h.Browser(t)
	lea.Login(t, "lea@example.org")
	r := lea.Get(t, "/student")
	if !strings.Contains(r.Body, `action="/student/applications/a-1/withdraw"`) {
		t.Error("no way to withdraw her open application")
	}
	r = lea.Post(t, "/student/applications/a-1/withdraw", url.Values{"next": {"/student"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/student" {
		t.Fatalf("withdraw: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if calls := h.Be.Rec.Called("WithdrawApplication"); len(calls) != 1 || calls[0].Auth != "Bearer tok-student" {
		t.Errorf("WithdrawApplication calls: %v", calls)
	}
	// Without the form's CSRF token, nothing is sent.
	if r := lea.PostRaw(t, "/student/applications/a-1/withdraw", url.Values{"next": {"/student"}}); r.Code != http.StatusForbidden {
		t.Errorf("withdraw without CSRF token: %d", r.Code)
	}
	if n := len(h.Be.Rec.Called("WithdrawApplication")); n != 1 {
		t.Errorf("%d withdrawals after a refused post", n)
	}

	for _, who := range []string{"lea@example.org", "jeanne@example.org", "admin@example.org"} {
		b := h.Browser(t)
		b.Login(t, who)
		for _, path := range []string{"/coordinator/students/s-1"} {
			if r := b.Get(t, path); r.Code != http.StatusForbidden {
				t.Errorf("%s GET %s: %d", who, path, r.Code)
			}
		}
		if r := b.Post(t, "/coordinator/students/s-1/applications", url.Values{"budget": {"200"}, "moveInDate": {"2027-01-15"}}); r.Code != http.StatusForbidden {
			t.Errorf("%s apply on behalf: %d", who, r.Code)
		}
		if r := b.Post(t, "/coordinator/applications/a-1/withdraw", nil); r.Code != http.StatusForbidden {
			t.Errorf("%s coordinator's withdraw: %d", who, r.Code)
		}
	}
	if n := len(h.Be.Rec.Called("CreateApplication")); n != 0 {
		t.Errorf("%d applications created by people who may not", n)
	}
	anon := h.Browser(t)
	if r := anon.Get(t, "/coordinator/students/s-1"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d to %q", r.Code, r.Header.Get("Location"))
	}
}

func TestStudentSignsAndReportsAProblem(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "lea@example.org")
	r := b.Get(t, "/student")
	for _, s := range []string{"Ma chambre et ma convention", `action="/student/contracts/c-4/sign"`, `href="/contracts/c-4/document"`, `href="/student/contracts/c-3/incident"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("student home lacks %q", s)
		}
	}
	if strings.Contains(r.Body, "/student/contracts/c-2/") || strings.Contains(r.Body, "/student/contracts/c-3/sign") {
		t.Error("a draft, or a signature of an active contract, offered")
	}
	if r := b.Post(t, "/student/contracts/c-4/sign", url.Values{"next": {"/student"}}); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/student" {
		t.Errorf("sign: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if c := h.Be.Rec.Called("SignContract"); len(c) != 1 || c[0].Auth != "Bearer tok-student" || c[0].Req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_UNSPECIFIED ||
		c[0].Req.(*contractsv1.SignContractRequest).GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC {
		t.Errorf("SignContract: %v", c)
	}

	// Report a problem: severity as labelled radio buttons, the description required.
	r = b.Get(t, "/student/contracts/c-3/incident")
	if !strings.Contains(r.Body, `<legend>Est-ce grave ?`) || strings.Count(r.Body, `type="radio"`) != 4 || !strings.Contains(r.Body, `value="SEVERITY_LOW" checked`) {
		t.Errorf("incident form:\n%s", r.Body)
	}
	if r := b.Post(t, "/student/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_HIGH"}, "category": {"NOISE"}, "description": {" "}}); r.Code != http.StatusBadRequest ||
		!strings.Contains(r.Body, `id="f-description-error"`) || len(h.Be.Rec.Called("CreateIncident")) != 0 {
		t.Errorf("empty description: %d", r.Code)
	}
	if r := b.Post(t, "/student/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_HIGH"}, "category": {"WHATEVER"}, "description": {"Fuite"}}); r.Code != http.StatusBadRequest ||
		!strings.Contains(r.Body, `id="f-category-error"`) {
		t.Errorf("service refusal not next to the category: %d", r.Code)
	}
	r = b.Post(t, "/student/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_HIGH"}, "category": {"NOISE"}, "description": {"Travaux la nuit"}, "requestId": {"rq-1"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/student" {
		t.Fatalf("report: %d to %q", r.Code, r.Header.Get("Location"))
	}
	c := h.Be.Rec.Called("CreateIncident")
	if len(c) != 2 {
		t.Fatalf("CreateIncident calls: %d", len(c))
	}
	if in := c[1].Req.(*contractsv1.CreateIncidentRequest); in.GetContractId() != "c-3" || in.GetSeverity() != contractsv1.Severity_SEVERITY_HIGH ||
		in.GetCategory() != "NOISE" || in.GetDescription() != "Travaux la nuit" || in.GetRequestId() != "rq-1" {
		t.Errorf("CreateIncident: %v", in)
	}
	if r := b.Get(t, "/student"); !strings.Contains(r.Body, "Votre signalement est enregistré") {
		t.Error("no confirmation")
	}

	// The host is told the coordinator can record her signature on paper.
	j := h.Browser(t)
	j.Login(t, "jeanne@example.org")
	if r := j.Get(t, "/host"); !strings.Contains(r.Body, "Votre coordinatrice peut l’imprimer et enregistrer votre signature.") {
		t.Error("assisted host not told about the paper signature")
	}
}

package site

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// A student registered on her behalf has no account: from her page the coordinator applies
// for her, withdraws her application, reads the rooms that fit her and proposes one.
func TestCoordinatorActsForAStudent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	// Without an application: the form to apply on her behalf, no suggestions yet.
	r := b.get(t, "/coordinator/students/s-3")
	if r.code != http.StatusOK {
		t.Fatalf("student page: %d", r.code)
	}
	for _, s := range []string{"Camille Durand", `action="/coordinator/students/s-3/applications"`, "sans compte", "Elle aime la compagnie.", "au plus 8 km"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("page without application lacks %q", s)
		}
	}
	if strings.Contains(r.body, `id="suggestions"`) {
		t.Error("suggestions shown before she applies")
	}

	// A refusal of the service shows next to its field, on her page.
	r = b.post(t, "/coordinator/students/s-3/applications", url.Values{"budget": {"200"}, "moveInDate": {""}, "requestId": {"req-1"}})
	if r.code != http.StatusBadRequest {
		t.Fatalf("apply without a date: %d", r.code)
	}
	doc, _ := html.Parse(strings.NewReader(r.body))
	if el := find(doc, "f-moveInDate"); el == nil || attr(el, "aria-invalid") != "true" {
		t.Errorf("the date is not marked invalid")
	}
	if find(doc, "f-moveInDate-error") == nil {
		t.Errorf("no error next to the date")
	}

	r = b.post(t, "/coordinator/students/s-3/applications", url.Values{"budget": {"200"}, "moveInDate": {"15/01/2027"}, "requestId": {"req-2"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/students/s-3#applications" {
		t.Fatalf("apply: %d to %q", r.code, r.header.Get("Location"))
	}
	var created *studentsv1.CreateApplicationRequest
	for _, c := range h.be.rec.called("CreateApplication") {
		if req := c.req.(*studentsv1.CreateApplicationRequest); req.GetRequestId() == "req-2" {
			created = req
			if c.auth != "Bearer tok-coord" {
				t.Errorf("applied with %q, not the coordinator's token", c.auth)
			}
		}
	}
	if created == nil || created.GetStudentId() != "s-3" || created.GetApplication().GetBudgetCents() != 20000 || created.GetApplication().GetMoveInDate() != "2027-01-15" {
		t.Errorf("CreateApplication: %v", created)
	}

	// With an open application: withdraw, the rooms that fit, each proposable; no second form.
	r = b.get(t, "/coordinator/students/s-1")
	for _, s := range []string{`action="/coordinator/applications/a-1/withdraw"`, "Chambre calme près des quais", `action="/coordinator/rooms/r-1/propose"`, "82,5/100"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("page with an open application lacks %q", s)
		}
	}
	if strings.Contains(r.body, `action="/coordinator/students/s-1/applications"`) {
		t.Error("a second application offered while one is open")
	}
	doc, _ = html.Parse(strings.NewReader(r.body))
	if next := findNextOf(doc, `/coordinator/rooms/r-1/propose`); next != "/coordinator/students/s-1#matches" {
		t.Errorf("propose comes back to %q", next)
	}

	r = b.post(t, "/coordinator/applications/a-1/withdraw", url.Values{"next": {"/coordinator/students/s-1#applications"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/students/s-1#applications" {
		t.Fatalf("withdraw: %d to %q", r.code, r.header.Get("Location"))
	}
	if calls := h.be.rec.called("WithdrawApplication"); len(calls) != 1 || calls[0].req.(*studentsv1.WithdrawApplicationRequest).GetId() != "a-1" {
		t.Errorf("WithdrawApplication calls: %v", calls)
	}
	if r := b.get(t, "/coordinator/students/s-1"); !strings.Contains(r.body, "La demande est retirée.") {
		t.Error("no confirmation after withdrawing")
	}
	// The service's refusal is said, in words, on the page she came from.
	b.post(t, "/coordinator/applications/a-closed/withdraw", url.Values{"next": {"/coordinator/students/s-1"}})
	if r := b.get(t, "/coordinator/students/s-1"); !strings.Contains(r.body, `class="flash flash-error"`) {
		t.Error("no error after a refused withdrawal")
	}
}

// The student withdraws her own application from her home; nobody else reaches the
// coordinator's student pages.
func TestStudentWithdrawsAndWhoSeesStudentPages(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// She waits in the pool, a proposal not yet met: her application is hers to withdraw.
	h.be.sc.stage([]*matchingv1.Match{match("m-1", matchingv1.MatchStatus_MATCH_STATUS_PROPOSED)}, nil, nil, []*studentsv1.Application{{
		Id: "a-1", StudentId: "s-1", Status: studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, BudgetCents: 20000, MoveInDate: "2027-01-15",
	}})
	lea := h.browser(t)
	lea.login(t, "lea@example.org")
	r := lea.get(t, "/student")
	if !strings.Contains(r.body, `action="/student/applications/a-1/withdraw"`) {
		t.Error("no way to withdraw her open application")
	}
	r = lea.post(t, "/student/applications/a-1/withdraw", url.Values{"next": {"/student"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/student" {
		t.Fatalf("withdraw: %d to %q", r.code, r.header.Get("Location"))
	}
	if calls := h.be.rec.called("WithdrawApplication"); len(calls) != 1 || calls[0].auth != "Bearer tok-student" {
		t.Errorf("WithdrawApplication calls: %v", calls)
	}
	// Without the form's CSRF token, nothing is sent.
	if r := lea.postRaw(t, "/student/applications/a-1/withdraw", url.Values{"next": {"/student"}}); r.code != http.StatusForbidden {
		t.Errorf("withdraw without CSRF token: %d", r.code)
	}
	if n := len(h.be.rec.called("WithdrawApplication")); n != 1 {
		t.Errorf("%d withdrawals after a refused post", n)
	}

	for _, who := range []string{"lea@example.org", "jeanne@example.org", "admin@example.org"} {
		b := h.browser(t)
		b.login(t, who)
		for _, path := range []string{"/coordinator/students/s-1"} {
			if r := b.get(t, path); r.code != http.StatusForbidden {
				t.Errorf("%s GET %s: %d", who, path, r.code)
			}
		}
		if r := b.post(t, "/coordinator/students/s-1/applications", url.Values{"budget": {"200"}, "moveInDate": {"2027-01-15"}}); r.code != http.StatusForbidden {
			t.Errorf("%s apply on behalf: %d", who, r.code)
		}
		if r := b.post(t, "/coordinator/applications/a-1/withdraw", nil); r.code != http.StatusForbidden {
			t.Errorf("%s coordinator's withdraw: %d", who, r.code)
		}
	}
	if n := len(h.be.rec.called("CreateApplication")); n != 0 {
		t.Errorf("%d applications created by people who may not", n)
	}
	anon := h.browser(t)
	if r := anon.get(t, "/coordinator/students/s-1"); r.code != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Errorf("anonymous: %d to %q", r.code, r.header.Get("Location"))
	}
}

// findNextOf is the "next" value of the form posting to action.
func findNextOf(n *html.Node, action string) string {
	if n.Type == html.ElementNode && n.Data == "form" && attr(n, "action") == action {
		var next string
		var walk func(*html.Node)
		walk = func(c *html.Node) {
			if c.Type == html.ElementNode && c.Data == "input" && attr(c, "name") == "next" {
				next = attr(c, "value")
			}
			for k := c.FirstChild; k != nil; k = k.NextSibling {
				walk(k)
			}
		}
		walk(n)
		return next
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if v := findNextOf(c, action); v != "" {
			return v
		}
	}
	return ""
}

// The coordinator corrects a student's record: the form comes filled from it, the save sends
// every field with the etag read; a change made meanwhile is a 409 that keeps her edits.
func TestCoordinatorEditsAStudent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/students/s-3/edit")
	if r.code != http.StatusOK {
		t.Fatalf("edit page: %d", r.code)
	}
	doc, _ := html.Parse(strings.NewReader(r.body))
	for id, want := range map[string]string{"f-displayName": "Camille Durand", "f-phone": "07 61 22 33 44", "f-maxCommuteKm": "8", "f-studyCity": "Lyon"} {
		if el := find(doc, id); el == nil || attr(el, "value") != want {
			t.Errorf("%s is not filled with %q", id, want)
		}
	}
	if !strings.Contains(r.body, `name="etag" value="3"`) {
		t.Error("the form does not carry the etag read")
	}

	form := url.Values{"displayName": {"Camille Durand"}, "studyCity": {"Lyon"}, "phone": {"07 99 88 77 66"}, "birthDate": {"2004-02-17"}, "etag": {"3"}}
	r = b.post(t, "/coordinator/students/s-3/edit", form)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/students/s-3" {
		t.Fatalf("save: %d to %q", r.code, r.header.Get("Location"))
	}
	calls := h.be.rec.called("UpdateStudent")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateStudent calls", len(calls))
	}
	req := calls[0].req.(*studentsv1.UpdateStudentRequest)
	if req.GetStudent().GetId() != "s-3" || req.GetStudent().GetEtag() != "3" || req.GetStudent().GetPhone() != "07 99 88 77 66" {
		t.Errorf("UpdateStudent: %v", req)
	}
	paths := strings.Join(req.GetUpdateMask().GetPaths(), ",")
	for _, p := range []string{"phone", "motivation", "services_offered", "study_place"} {
		if !strings.Contains(paths, p) {
			t.Errorf("update mask %q lacks %s: a cleared field would stay", paths, p)
		}
	}

	// Read before someone else's change: refused, her edits kept, the new etag for next time.
	form.Set("etag", "2")
	form.Set("phone", "06 00 00 00 01")
	r = b.post(t, "/coordinator/students/s-3/edit", form)
	if r.code != http.StatusConflict {
		t.Fatalf("stale save: %d", r.code)
	}
	if !strings.Contains(r.body, "Quelqu’un a modifié cette fiche") || !strings.Contains(r.body, `value="06 00 00 00 01"`) || !strings.Contains(r.body, `name="etag" value="3"`) {
		t.Error("the conflict is not said, or the edits or the new etag are lost")
	}

	for _, who := range []string{"lea@example.org", "jeanne@example.org"} {
		o := h.browser(t)
		o.login(t, who)
		if r := o.get(t, "/coordinator/students/s-3/edit"); r.code != http.StatusForbidden {
			t.Errorf("%s GET edit: %d", who, r.code)
		}
		if r := o.post(t, "/coordinator/students/s-3/edit", form); r.code != http.StatusForbidden {
			t.Errorf("%s POST edit: %d", who, r.code)
		}
	}
	if n := len(h.be.rec.called("UpdateStudent")); n != 2 {
		t.Errorf("%d UpdateStudent calls, want the coordinator's 2", n)
	}
}

package coordinator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// A student registered on her behalf has no account: from her page the coordinator applies
// for her, withdraws her application, reads the rooms that fit her and proposes one.
func TestCoordinatorActsForAStudent(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	// Without an application: the form to apply on her behalf, no suggestions yet.
	r := b.Get(t, "/coordinator/students/s-3")
	if r.Code != http.StatusOK {
		t.Fatalf("student page: %d", r.Code)
	}
	for _, s := range []string{"Camille Durand", `action="/coordinator/students/s-3/applications"`, "sans compte", "Elle aime la compagnie.", "au plus 8 km"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("page without application lacks %q", s)
		}
	}
	if strings.Contains(r.Body, `id="suggestions"`) {
		t.Error("suggestions shown before she applies")
	}

	// A refusal of the service shows next to its field, on her page.
	r = b.Post(t, "/coordinator/students/s-3/applications", url.Values{"budget": {"200"}, "moveInDate": {""}, "requestId": {"req-1"}})
	if r.Code != http.StatusBadRequest {
		t.Fatalf("apply without a date: %d", r.Code)
	}
	doc, _ := html.Parse(strings.NewReader(r.Body))
	if el := webapptest.Find(doc, "f-moveInDate"); el == nil || webapptest.Attr(el, "aria-invalid") != "true" {
		t.Errorf("the date is not marked invalid")
	}
	if webapptest.Find(doc, "f-moveInDate-error") == nil {
		t.Errorf("no error next to the date")
	}

	r = b.Post(t, "/coordinator/students/s-3/applications", url.Values{"budget": {"200"}, "moveInDate": {"15/01/2027"}, "requestId": {"req-2"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/students/s-3#applications" {
		t.Fatalf("apply: %d to %q", r.Code, r.Header.Get("Location"))
	}
	var created *studentsv1.CreateApplicationRequest
	for _, c := range h.Be.Rec.Called("CreateApplication") {
		if req := c.Req.(*studentsv1.CreateApplicationRequest); req.GetRequestId() == "req-2" {
			created = req
			if c.Auth != "Bearer tok-coord" {
				t.Errorf("applied with %q, not the coordinator's token", c.Auth)
			}
		}
	}
	if created == nil || created.GetStudentId() != "s-3" || created.GetApplication().GetBudgetCents() != 20000 || created.GetApplication().GetMoveInDate() != "2027-01-15" {
		t.Errorf("CreateApplication: %v", created)
	}

	// With an open application: withdraw, the rooms that fit, each proposable; no second form.
	r = b.Get(t, "/coordinator/students/s-1")
	for _, s := range []string{`action="/coordinator/applications/a-1/withdraw"`, "Chambre calme près des quais", `action="/coordinator/rooms/r-1/propose"`, "82,5/100"} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("page with an open application lacks %q", s)
		}
	}
	if strings.Contains(r.Body, `action="/coordinator/students/s-1/applications"`) {
		t.Error("a second application offered while one is open")
	}
	doc, _ = html.Parse(strings.NewReader(r.Body))
	if next := webapptest.FindNextOf(doc, `/coordinator/rooms/r-1/propose`); next != "/coordinator/students/s-1#matches" {
		t.Errorf("propose comes back to %q", next)
	}

	r = b.Post(t, "/coordinator/applications/a-1/withdraw", url.Values{"next": {"/coordinator/students/s-1#applications"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/students/s-1#applications" {
		t.Fatalf("withdraw: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if calls := h.Be.Rec.Called("WithdrawApplication"); len(calls) != 1 || calls[0].Req.(*studentsv1.WithdrawApplicationRequest).GetId() != "a-1" {
		t.Errorf("WithdrawApplication calls: %v", calls)
	}
	if r := b.Get(t, "/coordinator/students/s-1"); !strings.Contains(r.Body, "La demande est retirée.") {
		t.Error("no confirmation after withdrawing")
	}
	// The service's refusal is said, in words, on the page she came from.
	b.Post(t, "/coordinator/applications/a-closed/withdraw", url.Values{"next": {"/coordinator/students/s-1"}})
	if r := b.Get(t, "/coordinator/students/s-1"); !strings.Contains(r.Body, `class="flash flash-error"`) {
		t.Error("no error after a refused withdrawal")
	}
}

// The coordinator corrects a student's record: the form comes filled from it, the save sends
// every field with the etag read; a change made meanwhile is a 409 that keeps her edits.
func TestCoordinatorEditsAStudent(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/students/s-3/edit")
	if r.Code != http.StatusOK {
		t.Fatalf("edit page: %d", r.Code)
	}
	doc, _ := html.Parse(strings.NewReader(r.Body))
	for id, want := range map[string]string{"f-displayName": "Camille Durand", "f-phone": "07 61 22 33 44", "f-maxCommuteKm": "8", "f-studyCity": "Lyon"} {
		if el := webapptest.Find(doc, id); el == nil || webapptest.Attr(el, "value") != want {
			t.Errorf("%s is not filled with %q", id, want)
		}
	}
	if !strings.Contains(r.Body, `name="etag" value="3"`) {
		t.Error("the form does not carry the etag read")
	}

	form := url.Values{"displayName": {"Camille Durand"}, "studyCity": {"Lyon"}, "phone": {"07 99 88 77 66"}, "birthDate": {"2004-02-17"}, "etag": {"3"}}
	r = b.Post(t, "/coordinator/students/s-3/edit", form)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/students/s-3" {
		t.Fatalf("save: %d to %q", r.Code, r.Header.Get("Location"))
	}
	calls := h.Be.Rec.Called("UpdateStudent")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateStudent calls", len(calls))
	}
	req := calls[0].Req.(*studentsv1.UpdateStudentRequest)
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
	r = b.Post(t, "/coordinator/students/s-3/edit", form)
	if r.Code != http.StatusConflict {
		t.Fatalf("stale save: %d", r.Code)
	}
	if !strings.Contains(r.Body, "Quelqu’un a modifié cette fiche") || !strings.Contains(r.Body, `value="06 00 00 00 01"`) || !strings.Contains(r.Body, `name="etag" value="3"`) {
		t.Error("the conflict is not said, or the edits or the new etag are lost")
	}

	for _, who := range []string{"lea@example.org", "jeanne@example.org"} {
		o := h.Browser(t)
		o.Login(t, who)
		if r := o.Get(t, "/coordinator/students/s-3/edit"); r.Code != http.StatusForbidden {
			t.Errorf("%s GET edit: %d", who, r.Code)
		}
		if r := o.Post(t, "/coordinator/students/s-3/edit", form); r.Code != http.StatusForbidden {
			t.Errorf("%s POST edit: %d", who, r.Code)
		}
	}
	if n := len(h.Be.Rec.Called("UpdateStudent")); n != 2 {
		t.Errorf("%d UpdateStudent calls, want the coordinator's 2", n)
	}
}

// A coordinator registers a student on her behalf, with her agreement: the same fields as the
// student's own profile, the service's refusals next to their inputs, then the pending list.
func TestCoordinatorRegistersAStudent(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/students")
	if !strings.Contains(r.Body, `href="/coordinator/students/new"`) {
		t.Fatalf("the students list has no link to the registration")
	}
	r = b.Get(t, "/coordinator/students/new")
	if r.Code != http.StatusOK || !strings.Contains(r.Body, "avec son accord") || !strings.Contains(r.Body, "Sa motivation") ||
		strings.Contains(r.Body, "Votre motivation") || strings.Contains(r.Body, "coordinator@example.org") {
		t.Fatalf("new student page: %d\n%s", r.Code, r.Body)
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("new student page: %v", p)
	}

	// The service refuses an empty name and town: each message sits next to its input.
	r = b.Post(t, "/coordinator/students", url.Values{"institution": {"Université Lyon 2"}, "maxCommuteKm": {"8"}})
	if r.Code != http.StatusBadRequest {
		t.Fatalf("code %d", r.Code)
	}
	doc, _ := html.Parse(strings.NewReader(r.Body))
	for _, field := range []string{"f-displayName", "f-studyCity"} {
		in := webapptest.Find(doc, field)
		if in == nil {
			t.Fatalf("no input #%s", field)
		}
		if webapptest.Attr(in, "aria-invalid") != "true" || !strings.Contains(webapptest.Attr(in, "aria-describedby"), field+"-error") {
			t.Errorf("#%s: aria-invalid=%q aria-describedby=%q", field, webapptest.Attr(in, "aria-invalid"), webapptest.Attr(in, "aria-describedby"))
		}
		if e := webapptest.Find(doc, field+"-error"); e == nil || e.Parent != in.Parent {
			t.Errorf("#%s-error missing or not next to its input", field)
		}
		if !strings.Contains(r.Body, `href="#`+field+`"`) {
			t.Errorf("error summary lacks #%s", field)
		}
	}
	if in := webapptest.Find(doc, "f-institution"); webapptest.Attr(in, "value") != "Université Lyon 2" {
		t.Errorf("institution value = %q", webapptest.Attr(in, "value"))
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("form with errors: %v", p)
	}

	// Fixed, the student is registered and the coordinator sees the students to verify.
	r = b.Post(t, "/coordinator/students", url.Values{
		"displayName": {"Inès Garcia"}, "birthDate": {"2004-05-06"}, "studyCity": {"Lyon"}, "studyPostcode": {"69007"}, "languages": {"fr, es"},
		"servicesOffered": {"SERVICE_COMPANY", "SERVICE_MEALS"}, "requestId": {"rq-1"},
	})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/students?status=STUDENT_STATUS_PENDING_VERIFICATION" {
		t.Fatalf("fixed form: %d to %q\n%s", r.Code, r.Header.Get("Location"), r.Body)
	}
	calls := h.Be.Rec.Called("CreateStudent")
	if len(calls) != 2 {
		t.Fatalf("CreateStudent calls = %d", len(calls))
	}
	req := calls[1].Req.(*studentsv1.CreateStudentRequest)
	sent := req.GetStudent()
	// No coordinates typed: none sent (the students service places the town, marked approximate).
	if sent.GetDisplayName() != "Inès Garcia" || sent.GetStudyPlace().GetLat() != 0 || sent.GetStudyPlace().GetCity() != "Lyon" || sent.GetStudyPlace().GetPostcode() != "69007" || len(sent.GetServicesOffered()) != 2 ||
		len(sent.GetLanguages()) != 2 || req.GetRequestId() != "rq-1" || sent.GetEmail() != "" {
		t.Errorf("sent: %v (request %q)", sent, req.GetRequestId())
	}
	r = b.Get(t, r.Header.Get("Location"))
	if !strings.Contains(r.Body, "L’étudiant est inscrit.") {
		t.Errorf("no flash after registering")
	}
}

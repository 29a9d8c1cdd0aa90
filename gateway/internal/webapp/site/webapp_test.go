package site_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"
)

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	r := b.Get(t, h.App.Assets.URL("htmx.min.js"))
	if r.Code != http.StatusOK || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || !strings.Contains(r.Header.Get("Content-Type"), "javascript") {
		t.Errorf("htmx: %d %q %q", r.Code, r.Header.Get("Cache-Control"), r.Header.Get("Content-Type"))
	}
	if r := b.Get(t, "/static/app.css"); r.Code != http.StatusOK || r.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("css without version: %d %q", r.Code, r.Header.Get("Cache-Control"))
	}
	if r := b.Get(t, "/static/nope.js"); r.Code != http.StatusNotFound {
		t.Errorf("missing file: %d", r.Code)
	}
	if r := b.Get(t, "/login"); !strings.Contains(r.Header.Get("Content-Security-Policy"), "script-src 'self'") || r.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("page headers: CSP %q, Cache-Control %q", r.Header.Get("Content-Security-Policy"), r.Header.Get("Cache-Control"))
	}
}

// pageCase is one page as one kind of visitor sees it.
type pageCase struct {
	who  string // email of the account, "" for a visitor
	path string
	form url.Values // POST when set
	code int
	tmpl string // the template it renders
}

var pageCases = []pageCase{
	{"", "/", nil, 200, "landing"},
	{"", "/login", nil, 200, "login"},
	{"", "/login", url.Values{"email": {""}, "password": {""}}, 400, "login"},
	{"", "/signup", nil, 200, "signup"},
	{"", "/signup", url.Values{"role": {"student"}}, 400, "signup"},
	{"", "/nowhere", nil, 404, "error"},
	{"admin@example.org", "/admin", nil, 200, "admin"},
	{"admin@example.org", "/admin/figures", nil, 200, "admin_figures"},
	{"coordinator@example.org", "/coordinator/figures", nil, 200, "coord_figures"},
	{"coordinator@example.org", "/coordinator/agenda", nil, 200, "coord_agenda"},
	{"coordinator@example.org", "/coordinator", nil, 200, "coord_dashboard"},
	{"coordinator@example.org", "/coordinator/hosts", nil, 200, "coord_hosts"},
	{"coordinator@example.org", "/coordinator/hosts?status=HOST_STATUS_PENDING_VERIFICATION", nil, 200, "coord_hosts"},
	{"coordinator@example.org", "/coordinator/hosts/new", nil, 200, "coord_host_new"},
	{"coordinator@example.org", "/coordinator/hosts", url.Values{"postcode": {"1"}}, 400, "coord_host_new"},
	{"coordinator@example.org", "/coordinator/hosts/h-1", nil, 200, "coord_host"},
	{"coordinator@example.org", "/coordinator/hosts/h-2", nil, 200, "coord_host"},
	{"coordinator@example.org", "/coordinator/hosts/h-1/rooms", url.Values{"title": {"Petite"}, "areaM2": {"7"}, "contribution": {"abc"}}, 400, "coord_host"},
	{"coordinator@example.org", "/coordinator/hosts/h-9", nil, 404, "error"},
	{"coordinator@example.org", "/coordinator/hosts/h-1/edit", nil, 200, "record_edit"},
	{"coordinator@example.org", "/coordinator/hosts/h-1/edit", url.Values{"postcode": {"690"}, "etag": {"7"}}, 400, "record_edit"},
	{"coordinator@example.org", "/coordinator/rooms/r-1/candidates", nil, 200, "coord_candidates"},
	{"coordinator@example.org", "/coordinator/rooms/r-1/edit", nil, 200, "record_edit"},
	{"coordinator@example.org", "/coordinator/rooms/r-1/edit", url.Values{"title": {"Petite"}, "areaM2": {"7"}, "contribution": {"150"}, "availableFrom": {"2027-01-01"}, "etag": {"4"}}, 400, "record_edit"},
	{"coordinator@example.org", "/coordinator/rooms/r-1/candidates?after=tok-lea&from=2", nil, 200, "coord_candidates"},
	{"coordinator@example.org", "/coordinator/students", nil, 200, "coord_students"},
	{"coordinator@example.org", "/coordinator/students/new", nil, 200, "coord_student_new"},
	{"coordinator@example.org", "/coordinator/students", url.Values{"birthDate": {"31/02/2004"}}, 400, "coord_student_new"},
	{"coordinator@example.org", "/coordinator/students/s-1", nil, 200, "coord_student"},
	{"coordinator@example.org", "/coordinator/students/s-3", nil, 200, "coord_student"},
	{"coordinator@example.org", "/coordinator/students/s-3/applications", url.Values{"budget": {"deux cents"}}, 400, "coord_student"},
	{"coordinator@example.org", "/coordinator/students/s-9", nil, 404, "error"},
	{"coordinator@example.org", "/coordinator/students/s-3/edit", nil, 200, "record_edit"},
	{"coordinator@example.org", "/coordinator/students/s-3/edit", url.Values{"displayName": {""}, "etag": {"3"}}, 400, "record_edit"},
	{"coordinator@example.org", "/coordinator/matches", nil, 200, "coord_matches"},
	{"coordinator@example.org", "/coordinator/matches?status=MATCH_STATUS_APPROVED", nil, 200, "coord_matches"},
	{"coordinator@example.org", "/coordinator/matches/m-1", nil, 200, "coord_match"},
	{"coordinator@example.org", "/coordinator/matches/m-2", nil, 200, "coord_match"},
	{"coordinator@example.org", "/coordinator/matches/m-4", nil, 200, "coord_match"},
	{"coordinator@example.org", "/coordinator/matches/m-5", nil, 200, "coord_match"},
	{"coordinator@example.org", "/coordinator/matches/m-9", nil, 404, "error"},
	{"coordinator@example.org", "/coordinator/contracts", nil, 200, "coord_contracts"},
	{"coordinator@example.org", "/coordinator/contracts?status=CONTRACT_STATUS_AWAITING_SIGNATURES", nil, 200, "coord_contracts"},
	{"coordinator@example.org", "/coordinator/association", nil, 200, "coord_association"},
	{"coordinator@example.org", "/coordinator/contracts/c-1", nil, 200, "coord_contract"},
	{"coordinator@example.org", "/coordinator/contracts/c-2", nil, 200, "coord_contract"},
	{"coordinator@example.org", "/coordinator/contracts/c-3", nil, 200, "coord_contract"},
	{"coordinator@example.org", "/coordinator/contracts/c-2/terms", url.Values{"contribution": {"trois cents"}}, 400, "coord_contract"},
	{"coordinator@example.org", "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Départ"}, "effectiveDate": {"2026-12-01"}}, 400, "coord_contract"},
	{"coordinator@example.org", "/coordinator/contracts/c-9", nil, 404, "error"},
	{"coordinator@example.org", "/coordinator/contracts/c-2/cancel", url.Values{"cancelReason": {" "}}, 400, "coord_contract"},
	{"coordinator@example.org", "/coordinator/rooms", nil, 200, "coord_rooms"},
	{"coordinator@example.org", "/coordinator/rooms?city=Paris", nil, 200, "coord_rooms"},
	{"coordinator@example.org", "/coordinator/rooms?maxContribution=beaucoup&availableFrom=demain", nil, 400, "coord_rooms"},
	{"coordinator@example.org", "/coordinator/allocations", nil, 200, "coord_allocations"},
	{"coordinator@example.org", "/coordinator/allocations/al-1", nil, 200, "coord_allocation"},
	{"coordinator@example.org", "/coordinator/allocations/al-9", nil, 404, "error"},
	{"coordinator@example.org", "/coordinator/checkins", nil, 200, "coord_checkins"},
	{"coordinator@example.org", "/coordinator/checkins/ci-1?contract=c-9", nil, 200, "coord_checkin"},
	{"coordinator@example.org", "/coordinator/checkins/ci-5?contract=c-9", nil, 200, "coord_checkin"},
	{"coordinator@example.org", "/coordinator/checkins/ci-1?contract=c-9", url.Values{"contract": {"c-9"}}, 400, "coord_checkin"},
	{"coordinator@example.org", "/coordinator/checkins/ci-8?contract=c-9", nil, 404, "error"},
	{"coordinator@example.org", "/coordinator/incidents", nil, 200, "coord_incidents"},
	{"coordinator@example.org", "/coordinator/notifications", nil, 200, "coord_notifications"},
	{"coordinator@example.org", "/coordinator/notifications?recipientId=h-1", nil, 200, "coord_notifications"},
	{"coordinator@example.org", "/coordinator/calls", nil, 200, "coord_notifications"},
	{"lea@example.org", "/notifications/settings", nil, 200, "notification_settings"},
	{"jeanne@example.org", "/notifications/settings", nil, 200, "notification_settings"},
	{"coordinator@example.org", "/coordinator/incidents?status=INCIDENT_STATUS_RESOLVED", nil, 200, "coord_incidents"},
	{"coordinator@example.org", "/host", nil, 403, "error"},
	{"jeanne@example.org", "/host", nil, 200, "host_home"},
	{"new-host@example.org", "/host", nil, 200, "host_home"},
	{"new-host@example.org", "/host/profile", nil, 200, "host_profile"},
	{"new-host@example.org", "/host/profile", url.Values{"displayName": {""}}, 400, "host_profile"},
	{"jeanne@example.org", "/host/profile", nil, 303, ""},
	{"jeanne@example.org", "/host/contracts/c-3/incident", nil, 200, "student_incident"},
	{"jeanne@example.org", "/host/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_LOW"}, "description": {""}}, 400, "student_incident"},
	{"lea@example.org", "/student", nil, 200, "student_home"},
	{"lea@example.org", "/student/profile", nil, 303, ""},
	{"lea@example.org", "/student/apply", nil, 200, "student_apply"},
	{"lea@example.org", "/student/apply", url.Values{"budget": {"deux cents"}}, 400, "student_apply"},
	{"lea@example.org", "/student/suggestions", nil, 200, "student_suggestions"},
	{"lea@example.org", "/student/profile/edit", nil, 200, "record_edit"},
	{"new-student@example.org", "/student/profile/edit", nil, 303, ""},
	{"jeanne@example.org", "/host/profile/edit", nil, 200, "record_edit"},
	{"new-host@example.org", "/host/profile/edit", nil, 303, ""},
	{"lea@example.org", "/student/contracts/c-3/incident", nil, 200, "student_incident"},
	{"lea@example.org", "/student/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_HIGH"}, "description": {""}}, 400, "student_incident"},
	{"new-student@example.org", "/student", nil, 200, "student_home"},
	{"new-student@example.org", "/student/profile", nil, 200, "student_profile"},
	{"new-student@example.org", "/student/profile", url.Values{"birthDate": {"31/02/2004"}}, 400, "student_profile"},
}

// TestEveryPageInBothLanguages renders every template, in French and in English: no text
// may be missing from the catalogue, and each page passes the basic accessibility check.
func TestEveryPageInBothLanguages(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	covered := map[string]bool{}
	for _, lang := range webapp.Languages {
		browsers := map[string]*webapptest.Browser{}
		for _, pc := range pageCases {
			b := browsers[pc.who]
			if b == nil {
				b = h.Browser(t)
				b.SetLang(t, lang)
				if pc.who != "" {
					b.Login(t, pc.who)
				}
				browsers[pc.who] = b
			}
			var r webapptest.Response
			method := "GET"
			if pc.form != nil {
				method = "POST"
				r = b.Post(t, pc.path, pc.form)
			} else {
				r = b.Get(t, pc.path)
			}
			name := lang + " " + method + " " + pc.path + " as " + pc.who
			if r.Code != pc.code {
				t.Errorf("%s: code %d, want %d\n%s", name, r.Code, pc.code, r.Body)
				continue
			}
			if pc.tmpl == "" {
				continue // a redirect
			}
			covered[pc.tmpl] = true
			if !strings.Contains(r.Body, `<html lang="`+lang+`"`) {
				t.Errorf("%s: not in %s", name, lang)
			}
			if strings.Contains(r.Body, "⟦") {
				t.Errorf("%s: missing translations: %v", name, regexp.MustCompile(`⟦[^⟧]*⟧`).FindAllString(r.Body, -1))
			}
			if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
				t.Errorf("%s: accessibility: %s", name, strings.Join(p, "; "))
			}
		}
	}
	if m := h.App.Cat.Missing(); len(m) > 0 {
		t.Errorf("translations asked for and missing: %v", m)
	}
	for name := range h.App.Pages.Set {
		if !covered[name] {
			t.Errorf("template %s is rendered by no test case", name)
		}
	}
}

package site

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

func setCookieHeader(r response, name string) string {
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, name+"=") {
			return c
		}
	}
	return ""
}

func TestLoginSetsSessionCookieAndRedirectsByRole(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for email, home := range map[string]string{
		"coordinator@example.org": "/coordinator", "jeanne@example.org": "/host",
		"lea@example.org": "/student", "admin@example.org": "/admin",
	} {
		b := h.browser(t)
		b.get(t, "/login")
		r := b.post(t, "/login", url.Values{"email": {email}, "password": {"secret-password"}})
		if r.code != http.StatusSeeOther || r.header.Get("Location") != home {
			t.Errorf("%s: %d to %q, want 303 to %s", email, r.code, r.header.Get("Location"), home)
		}
		c := setCookieHeader(r, webapp.CookieSession)
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="} {
			if !strings.Contains(c, want) {
				t.Errorf("%s: session cookie %q lacks %s", email, c, want)
			}
		}
		if strings.Contains(c, "Secure") {
			t.Errorf("%s: session cookie over plain http is Secure: %q", email, c)
		}
		if b.cookie(webapp.CookieSession) != logins[email] {
			t.Errorf("%s: session cookie holds %q", email, b.cookie(webapp.CookieSession))
		}
		// The landing page now sends the account home.
		if r := b.get(t, "/"); r.code != http.StatusSeeOther || r.header.Get("Location") != home {
			t.Errorf("%s: GET / = %d to %q", email, r.code, r.header.Get("Location"))
		}
	}

	// Behind a TLS proxy the cookie is Secure.
	b := h.browser(t)
	b.get(t, "/login")
	form := url.Values{"email": {"lea@example.org"}, "password": {"secret-password"}, webapp.CSRFField: {b.cookie(webapp.CookieCSRF)}}
	req, _ := http.NewRequest("POST", h.srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	r := b.do(t, req)
	if c := setCookieHeader(r, webapp.CookieSession); !strings.Contains(c, "Secure") {
		t.Errorf("session cookie over https: %q, want Secure", c)
	}

	// Back to the page that asked for sign-in, but never to another site.
	b = h.browser(t)
	if r := b.get(t, "/coordinator/hosts"); r.code != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fcoordinator%2Fhosts" {
		t.Fatalf("signed out: %d to %q", r.code, r.header.Get("Location"))
	}
	r = b.post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}, "next": {"/coordinator/hosts"}})
	if r.header.Get("Location") != "/coordinator/hosts" {
		t.Errorf("next: to %q", r.header.Get("Location"))
	}
	b = h.browser(t)
	r = b.post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}, "next": {"//evil.example/"}})
	if r.header.Get("Location") != "/coordinator" {
		t.Errorf("next=//evil.example: to %q", r.header.Get("Location"))
	}
}

func TestLoginRefusedShowsError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	r := b.post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"wrong"}})
	if r.code != http.StatusUnauthorized {
		t.Fatalf("code = %d", r.code)
	}
	if !strings.Contains(r.body, "L’adresse e-mail ou le mot de passe est incorrect.") {
		t.Errorf("no error message:\n%s", r.body)
	}
	if strings.Contains(r.body, `value="wrong"`) {
		t.Error("the password is written back into the page")
	}
	if b.cookie(webapp.CookieSession) != "" {
		t.Error("a refused login set a session")
	}
}

// An email locked out after failed attempts gets a page that says so, as the API's 429
// does — not a 500 (issue 18).
func TestLoginLockedOutIs429(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	r := b.post(t, "/login", url.Values{"email": {"locked@example.org"}, "password": {"whatever"}})
	if r.code != http.StatusTooManyRequests {
		t.Fatalf("code = %d, want 429", r.code)
	}
	if !strings.Contains(r.body, "Trop d’essais pour cette adresse") {
		t.Errorf("no lockout message:\n%s", r.body)
	}
}

// A next that a browser would read as another site is never followed after sign-in.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	r := b.post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}, "next": {"/\t/evil.example/"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator" {
		t.Errorf("login with next=/<tab>/evil.example/: %d to %q, want /coordinator", r.code, r.header.Get("Location"))
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	before := b.cookie(webapp.CookieCSRF)
	r := b.post(t, "/logout", nil)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("logout: %d to %q", r.code, r.header.Get("Location"))
	}
	if b.cookie(webapp.CookieSession) != "" {
		t.Error("session cookie kept after logout")
	}
	if b.cookie(webapp.CookieCSRF) == before {
		t.Error("CSRF token not rotated at logout")
	}
	if r := b.get(t, "/coordinator"); r.code != http.StatusSeeOther {
		t.Errorf("after logout: %d", r.code)
	}
}

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	for name, form := range map[string]url.Values{
		"no token":    {},
		"wrong token": {webapp.CSRFField: {webapp.NewToken()}},
		"empty token": {webapp.CSRFField: {""}},
	} {
		r := b.postRaw(t, "/coordinator/hosts/h-2/verify", form)
		if r.code != http.StatusForbidden {
			t.Errorf("%s: code %d, want 403", name, r.code)
		}
	}
	if n := len(h.be.rec.called("VerifyHost")); n != 0 {
		t.Errorf("VerifyHost called %d times without a CSRF token", n)
	}
	// Login and the preferences are forms too.
	fresh := h.browser(t)
	fresh.get(t, "/login")
	if r := fresh.postRaw(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}}); r.code != http.StatusForbidden {
		t.Errorf("login without token: %d", r.code)
	}
	if r := fresh.postRaw(t, "/prefs/lang", url.Values{"lang": {"en"}}); r.code != http.StatusForbidden {
		t.Errorf("language switch without token: %d", r.code)
	}
	// With the token it goes through.
	if r := b.post(t, "/coordinator/hosts/h-2/verify", url.Values{"next": {"/coordinator"}}); r.code != http.StatusSeeOther {
		t.Errorf("with token: %d", r.code)
	}
}

func TestCallsCarryTheSessionToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	b.get(t, "/coordinator")
	for _, m := range []string{"GetMe", "ListHosts", "ListStudents", "ListMatches", "ListContracts", "ListCheckins", "ListIncidents"} {
		calls := h.be.rec.called(m)
		if len(calls) == 0 {
			t.Errorf("%s not called", m)
		}
		for _, c := range calls {
			if c.auth != "Bearer tok-coord" {
				t.Errorf("%s carried %q", m, c.auth)
			}
		}
	}
}

func TestExpiredSessionGoesBackToLogin(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.get(t, "/login")
	u, _ := url.Parse(h.srv.URL)
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "tok-expired", Path: "/"}})
	r := b.get(t, "/coordinator/students?status=STUDENT_STATUS_VERIFIED")
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fcoordinator%2Fstudents%3Fstatus%3DSTUDENT_STATUS_VERIFIED" {
		t.Errorf("GET: %d to %q", r.code, r.header.Get("Location"))
	}
	if b.cookie(webapp.CookieSession) != "" {
		t.Error("the stale session cookie is kept")
	}
	// A form cannot be replayed after signing in: back home instead.
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "tok-expired", Path: "/"}})
	r = b.post(t, "/coordinator/hosts/h-2/verify", nil)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Errorf("POST: %d to %q", r.code, r.header.Get("Location"))
	}
	// The landing page forgets a stale session too.
	b.hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "tok-expired", Path: "/"}})
	if r := b.get(t, "/"); r.code != http.StatusOK {
		t.Errorf("landing with a stale session: %d", r.code)
	}
}

func TestRoleMismatchIsForbidden(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "jeanne@example.org")
	if r := b.get(t, "/coordinator"); r.code != http.StatusForbidden {
		t.Errorf("host on the dashboard: %d", r.code)
	}
}

func TestDashboardShowsCounts(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.get(t, "/coordinator")
	if r.code != http.StatusOK {
		t.Fatalf("code %d\n%s", r.code, r.body)
	}
	doc, _ := html.Parse(strings.NewReader(r.body))
	cards := map[string]string{}
	for _, a := range findAll(doc, "a", "") {
		if !strings.HasPrefix(attr(a, "href"), "#") {
			continue
		}
		for _, s := range findAll(a, "span", "count") {
			cards[attr(a, "href")] = text(s)
		}
	}
	want := map[string]string{
		"#verifications":    "3", // 2 hosts, 1 student
		"#matches":          "2", // 1 proposed, 1 meeting scheduled
		"#contracts":        "1",
		"#checkins":         "2",
		"#checkins-overdue": "1",
		"#incidents":        "3", // 2 open, 1 in mediation
	}
	for k, v := range want {
		if cards[k] != v {
			t.Errorf("card %s = %q, want %s (cards %v)", k, cards[k], v, cards)
		}
	}
	// Incidents by severity: critical 1, high 0, medium 0, low 2.
	if !regexp.MustCompile(`(?s)Critique</th><th[^>]*>Élevée</th><th[^>]*>Moyenne</th><th[^>]*>Faible</th></tr></thead>\s*<tbody><tr><td class="num">1</td><td class="num">0</td><td class="num">0</td><td class="num">2</td>`).MatchString(r.body) {
		t.Errorf("incidents by severity table wrong:\n%s", r.body)
	}
	for _, s := range []string{"Paul Girard", "Odette Roux", "Hugo Petit", "Chute dans l’escalier", "Marcel Blanc", "28 novembre 2026 à 15:30", "25 novembre 2026"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("dashboard lacks %q", s)
		}
	}
	// Check-ins due are those due today or before: due_before is tomorrow (exclusive).
	var dueBefore []string
	for _, c := range h.be.rec.called("ListCheckins") {
		if req := c.req.(*contractsv1.ListCheckinsRequest); req.GetStatus() == contractsv1.CheckinStatus_CHECKIN_STATUS_DUE {
			dueBefore = append(dueBefore, req.GetDueBefore())
		}
	}
	if !slices.Equal(dueBefore, []string{"2026-11-26"}) {
		t.Errorf("due check-ins asked with dueBefore %v, want [2026-11-26]", dueBefore)
	}
}

func TestCandidatesShowBreakdownInFrenchThenEnglish(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.get(t, "/coordinator/rooms/r-1/candidates")
	if r.code != http.StatusOK {
		t.Fatalf("code %d\n%s", r.code, r.body)
	}
	for _, s := range []string{`<html lang="fr">`, "Services en commun : compagnie", "Langue partagée : français", "À 2,4 km du lieu d’études",
		"82,5/100", "Trajet", "80\u00a0%", "12,5 sur 25", "150,00\u00a0€ par mois", "1 janvier 2027", "Proposer cette chambre"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("French page lacks %q", s)
		}
	}
	if strings.Contains(r.body, "Services in common") {
		t.Error("French page shows the English reason")
	}
	b.setLang(t, "en")
	r = b.get(t, "/coordinator/rooms/r-1/candidates")
	for _, s := range []string{`<html lang="en">`, "Services in common: company", "Shared language: French", "2.4 km from the place of study",
		"82.5/100", "Commute", "80%", "12.5 of 25", "€150.00 a month", "1 January 2027", "Propose this room"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("English page lacks %q", s)
		}
	}
	if strings.Contains(r.body, "Services en commun") {
		t.Error("English page shows the French reason")
	}
	// Proposing goes back to the page with a message.
	r = b.post(t, "/coordinator/rooms/r-1/propose", url.Values{"studentId": {"s-1"}, "next": {"/coordinator/rooms/r-1/candidates"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/rooms/r-1/candidates" {
		t.Fatalf("propose: %d to %q", r.code, r.header.Get("Location"))
	}
	calls := h.be.rec.called("CreateMatch")
	if len(calls) != 1 || calls[0].req.(*matchingv1.CreateMatchRequest).GetStudentId() != "s-1" || calls[0].req.(*matchingv1.CreateMatchRequest).GetRoomId() != "r-1" {
		t.Errorf("CreateMatch calls: %v", calls)
	}
	if r := b.get(t, "/coordinator/rooms/r-1/candidates"); !strings.Contains(r.body, "The proposal is recorded. The host and the student are told as they chose") {
		t.Error("no confirmation after proposing")
	}
}

func TestFieldViolationsShowNextToTheirFields(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.post(t, "/coordinator/hosts", url.Values{
		"displayName": {"Odette Roux"}, "line1": {"3 place Bellecour"}, "postcode": {"6900"}, "city": {"Lyon"}, "phone": {"0612345678"},
	})
	if r.code != http.StatusBadRequest {
		t.Fatalf("code %d", r.code)
	}
	doc, _ := html.Parse(strings.NewReader(r.body))
	for field, msg := range map[string]string{
		"f-postcode":        "Indiquez un code postal de 5 chiffres.",
		"f-consentRecorded": "Cochez cette case une fois le consentement de la personne recueilli",
	} {
		in := find(doc, field)
		if in == nil {
			t.Fatalf("no input #%s", field)
		}
		if attr(in, "aria-invalid") != "true" || !strings.Contains(attr(in, "aria-describedby"), field+"-error") {
			t.Errorf("#%s: aria-invalid=%q aria-describedby=%q", field, attr(in, "aria-invalid"), attr(in, "aria-describedby"))
		}
		e := find(doc, field+"-error")
		if e == nil || !strings.Contains(text(e), msg) {
			t.Errorf("#%s-error missing or wrong: %v", field, e)
			continue
		}
		// The message sits in the field's own block, next to the input.
		if e.Parent != in.Parent {
			t.Errorf("#%s-error is not next to its input", field)
		}
	}
	// The summary at the top links to each field.
	for _, href := range []string{`href="#f-postcode"`, `href="#f-consentRecorded"`} {
		if !strings.Contains(r.body, href) {
			t.Errorf("error summary lacks %s", href)
		}
	}
	// The form keeps what was typed.
	if in := find(doc, "f-displayName"); attr(in, "value") != "Odette Roux" {
		t.Errorf("displayName value = %q", attr(in, "value"))
	}
	// No coordinates typed: none are sent (the hosts service places the address at its
	// commune's centre, marked approximate; a town centre guessed here would hide which).
	calls := h.be.rec.called("CreateHost")
	if len(calls) != 1 {
		t.Fatalf("CreateHost calls = %d", len(calls))
	}
	sent := calls[0].req.(*hostsv1.CreateHostRequest).GetHost()
	if !sent.GetAssisted() || sent.GetAddress().GetLat() != 0 || sent.GetAddress().GetLng() != 0 {
		t.Errorf("sent host: assisted=%v lat=%v", sent.GetAssisted(), sent.GetAddress().GetLat())
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("form with errors: %v", p)
	}

	// Fixed, it goes to the new host's page with a message.
	r = b.post(t, "/coordinator/hosts", url.Values{
		"displayName": {"Odette Roux"}, "line1": {"3 place Bellecour"}, "postcode": {"69002"}, "city": {"Lyon"},
		"phone": {"0612345678"}, "consentRecorded": {"on"}, "servicesWanted": {"SERVICE_COMPANY", "SERVICE_MEALS"},
	})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/hosts/h-new" {
		t.Fatalf("fixed form: %d to %q\n%s", r.code, r.header.Get("Location"), r.body)
	}
	sent = h.be.rec.called("CreateHost")[1].req.(*hostsv1.CreateHostRequest).GetHost()
	if !sent.GetConsentRecorded() || len(sent.GetServicesWanted()) != 2 {
		t.Errorf("sent host: consent=%v services=%v", sent.GetConsentRecorded(), sent.GetServicesWanted())
	}
}

func TestActionRefusalIsFlashed(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.post(t, "/coordinator/hosts/h-3/verify", url.Values{"next": {"/coordinator/hosts"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/hosts" {
		t.Fatalf("%d to %q", r.code, r.header.Get("Location"))
	}
	r = b.get(t, "/coordinator/hosts")
	// The refusal in the page's language, from its reason; never the service's English.
	if !strings.Contains(r.body, "l’âge minimum du programme") || strings.Contains(r.body, "at least 60") {
		t.Errorf("no refusal message:\n%s", r.body)
	}
	// Shown once.
	if r := b.get(t, "/coordinator/hosts"); strings.Contains(r.body, "l’âge minimum") {
		t.Error("flash shown twice")
	}
}

func TestHostHomeIsLargeTypeByDefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "jeanne@example.org")
	r := b.get(t, "/host")
	if r.code != http.StatusOK {
		t.Fatalf("code %d\n%s", r.code, r.body)
	}
	for _, s := range []string{`<html lang="fr" class="text-large">`, `aria-pressed="true"`, "Bonjour Jeanne Martin",
		"Léa Bernard", "J’accepte", "Je signe la convention", `href="tel:&#43;33400000000"`, "Appeler le &#43;33 4 00 00 00 00",
		"Chambre calme près des quais"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("host home lacks %q", s)
		}
	}
	// Normal size, one click away, kept in a cookie.
	if r := b.post(t, "/prefs/text", url.Values{"text": {"normal"}, "next": {"/host"}}); r.code != http.StatusSeeOther {
		t.Fatalf("text size: %d", r.code)
	}
	if r := b.get(t, "/host"); !strings.Contains(r.body, `<html lang="fr">`) || !strings.Contains(r.body, `aria-pressed="false"`) {
		t.Error("large type still on after switching it off")
	}
	// The host answers and signs as herself: the party is implied by her token.
	// She answers after the meeting: a proposal without one only says so.
	if !strings.Contains(r.body, "Elle vous appelle pour organiser une rencontre") || strings.Count(r.body, "J’accepte") != 1 ||
		!strings.Contains(r.body, `action="/host/matches/m-3/accept"`) {
		t.Error("accept offered before the meeting, or not after it")
	}
	if r := b.post(t, "/host/matches/m-3/accept", url.Values{"next": {"/host"}}); r.code != http.StatusSeeOther {
		t.Errorf("accept: %d", r.code)
	}
	// A no needs a reason.
	if r := b.post(t, "/host/matches/m-1/decline", url.Values{"next": {"/host"}, "reason": {"  "}}); r.code != http.StatusSeeOther {
		t.Errorf("decline without reason: %d", r.code)
	}
	if n := len(h.be.rec.called("DeclineMatch")); n != 0 {
		t.Errorf("DeclineMatch called without a reason")
	}
	if r := b.get(t, "/host"); !strings.Contains(r.body, "Dites en quelques mots pourquoi vous refusez") {
		t.Error("no message for a decline without reason")
	}
	if r := b.post(t, "/host/matches/m-1/decline", url.Values{"next": {"/host"}, "reason": {"Je pars en voyage"}}); r.code != http.StatusSeeOther {
		t.Errorf("decline: %d", r.code)
	}
	if c := h.be.rec.called("DeclineMatch"); len(c) != 1 || c[0].req.(*matchingv1.DeclineMatchRequest).GetReason() != "Je pars en voyage" {
		t.Errorf("DeclineMatch: %v", c)
	}
	if r := b.post(t, "/host/contracts/c-1/sign", url.Values{"next": {"/host"}}); r.code != http.StatusSeeOther {
		t.Errorf("sign: %d", r.code)
	}
	for _, m := range []string{"AcceptMatch", "SignContract"} {
		calls := h.be.rec.called(m)
		if len(calls) != 1 || calls[0].auth != "Bearer tok-host" {
			t.Errorf("%s: %v", m, calls)
		}
	}
	// The coordinator's pages keep normal type.
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	if r := c.get(t, "/coordinator"); !strings.Contains(r.body, `<html lang="fr">`) {
		t.Error("coordinator pages in large type by default")
	}
}

func TestScheduleMeetingInParisTime(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.post(t, "/coordinator/matches/m-1/schedule", url.Values{"meetingAt": {"2026-12-01T15:30"}, "next": {"/coordinator#matches"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator#matches" {
		t.Fatalf("%d to %q", r.code, r.header.Get("Location"))
	}
	c := h.be.rec.called("ScheduleMeeting")
	if len(c) != 1 {
		t.Fatalf("ScheduleMeeting calls: %d", len(c))
	}
	if got := c[0].req.(*matchingv1.ScheduleMeetingRequest).GetMeetingAt().AsTime().Format(time.RFC3339); got != "2026-12-01T14:30:00Z" {
		t.Errorf("meetingAt = %s, want 15:30 Paris = 14:30 UTC", got)
	}
	if r := b.get(t, "/coordinator"); !strings.Contains(r.body, "La rencontre est planifiée.") {
		t.Error("no confirmation")
	}
	// An empty date is refused here, with a message.
	b.post(t, "/coordinator/matches/m-1/schedule", url.Values{"meetingAt": {""}})
	if len(h.be.rec.called("ScheduleMeeting")) != 1 {
		t.Error("an empty date reached the service")
	}
	if r := b.get(t, "/coordinator"); !strings.Contains(r.body, "Indiquez la date et l’heure de la rencontre.") {
		t.Error("no message for an empty date")
	}
}

func TestMatchPageActions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	// The list passes its filter on, and links each match to its page.
	r := b.get(t, "/coordinator/matches?status=MATCH_STATUS_PROPOSED")
	if c := h.be.rec.called("ListMatches"); len(c) != 1 || c[0].req.(*matchingv1.ListMatchesRequest).GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_PROPOSED {
		t.Errorf("ListMatches: %v", c)
	}
	if !strings.Contains(r.body, `href="/coordinator/matches/m-1"`) || !strings.Contains(r.body, `<option value="MATCH_STATUS_PROPOSED" selected>`) {
		t.Errorf("list:\n%s", r.body)
	}

	// A meeting scheduled, the host's yes recorded by the coordinator: the student's answer
	// may be given on her behalf; no approval yet.
	r = b.get(t, "/coordinator/matches/m-2")
	for _, s := range []string{"<h1>Jeanne Martin et Léa Bernard</h1>", "(réponse enregistrée par l’association)", "Léa Bernard accepte",
		"Léa Bernard refuse", `name="party" value="PARTY_STUDENT"`, "28 novembre 2026 à 15:30", "Annuler la mise en relation"} {
		if !strings.Contains(r.body, s) {
			t.Errorf("match page lacks %q", s)
		}
	}
	if strings.Contains(r.body, "Jeanne Martin accepte") || strings.Contains(r.body, "/approve") {
		t.Error("the host's answer or approval offered again")
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("accessibility: %v", p)
	}

	// The student's yes, on her behalf.
	r = b.post(t, "/coordinator/matches/m-2/answer", url.Values{"party": {"PARTY_STUDENT"}, "answer": {"accept"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/matches/m-2" {
		t.Fatalf("answer: %d to %q", r.code, r.header.Get("Location"))
	}
	if c := h.be.rec.called("AcceptMatch"); len(c) != 1 || c[0].req.(*matchingv1.AcceptMatchRequest).GetParty() != matchingv1.Party_PARTY_STUDENT || c[0].auth != "Bearer tok-coord" {
		t.Errorf("AcceptMatch: %v", c)
	}
	if r := b.get(t, "/coordinator/matches/m-2"); !strings.Contains(r.body, "L’accord est enregistré.") {
		t.Error("no confirmation of the answer")
	}
	// A no needs its reason, and says for whom.
	b.post(t, "/coordinator/matches/m-2/answer", url.Values{"party": {"PARTY_HOST"}, "answer": {"decline"}, "reason": {" "}})
	b.post(t, "/coordinator/matches/m-2/answer", url.Values{"answer": {"decline"}, "reason": {"Santé"}})
	if len(h.be.rec.called("DeclineMatch")) != 0 {
		t.Error("a refusal without reason or party reached the service")
	}
	b.post(t, "/coordinator/matches/m-2/answer", url.Values{"party": {"PARTY_HOST"}, "answer": {"decline"}, "reason": {"Elle part chez sa fille"}})
	if c := h.be.rec.called("DeclineMatch"); len(c) != 1 || c[0].req.(*matchingv1.DeclineMatchRequest).GetParty() != matchingv1.Party_PARTY_HOST ||
		c[0].req.(*matchingv1.DeclineMatchRequest).GetReason() != "Elle part chez sa fille" {
		t.Errorf("DeclineMatch: %v", c)
	}

	// Both said yes: approve.
	r = b.get(t, "/coordinator/matches/m-4")
	if !strings.Contains(r.body, `action="/coordinator/matches/m-4/approve"`) || strings.Contains(r.body, "accepte</button>") {
		t.Error("approval not offered, or answers still offered")
	}
	if r := b.post(t, "/coordinator/matches/m-4/approve", nil); r.header.Get("Location") != "/coordinator/matches/m-4" {
		t.Errorf("approve: to %q", r.header.Get("Location"))
	}
	if r := b.get(t, "/coordinator/matches/m-4"); !strings.Contains(r.body, "La mise en relation est approuvée") {
		t.Error("no confirmation of the approval")
	}
	// The service's refusal is flashed.
	b.post(t, "/coordinator/matches/m-1/approve", nil)
	if r := b.get(t, "/coordinator/matches/m-1"); !strings.Contains(r.body, "pas possible à cette étape") || strings.Contains(r.body, "both parties must accept first") {
		t.Error("refusal not shown")
	}

	// Cancel needs a reason.
	b.post(t, "/coordinator/matches/m-1/cancel", url.Values{"reason": {""}})
	if len(h.be.rec.called("CancelMatch")) != 0 {
		t.Error("a cancellation without reason reached the service")
	}
	if r := b.get(t, "/coordinator/matches/m-1"); !strings.Contains(r.body, "Indiquez le motif de l’annulation.") {
		t.Error("no message for a cancellation without reason")
	}
	b.post(t, "/coordinator/matches/m-1/cancel", url.Values{"reason": {"Chambre retirée"}})
	if c := h.be.rec.called("CancelMatch"); len(c) != 1 || c[0].req.(*matchingv1.CancelMatchRequest).GetReason() != "Chambre retirée" {
		t.Errorf("CancelMatch: %v", c)
	}

	// A declined match shows who said no and why, and offers nothing more.
	r = b.get(t, "/coordinator/matches/m-5")
	if !strings.Contains(r.body, "Trop loin de l’université") || strings.Contains(r.body, "/cancel") {
		t.Error("declined match: reason missing or actions offered")
	}
}

func TestContractPageAndActions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/contracts?status=CONTRACT_STATUS_AWAITING_SIGNATURES")
	if !strings.Contains(r.body, `href="/coordinator/contracts/c-1"`) || !strings.Contains(r.body, `<option value="CONTRACT_STATUS_AWAITING_SIGNATURES" selected>`) {
		t.Errorf("list:\n%s", r.body)
	}

	// Awaiting signatures, the host assisted: her signature is recorded with the coordinator.
	r = b.get(t, "/coordinator/contracts/c-1")
	for _, s := range []string{"<h1>Convention de Jeanne Martin et Léa Bernard</h1>", `href="/contracts/c-1/document"`, "150,50\u00a0€",
		"cuisine, salon", "Pas encore signée", "En ligne", "24 novembre 2026 à 19:00", "Sur papier (convention imprimée", `type="radio"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("contract page lacks %q", s)
		}
	}
	b.post(t, "/coordinator/contracts/c-1/sign", url.Values{"method": {"SIGNATURE_METHOD_ELECTRONIC"}, "signParty": {"PARTY_HOST"}})
	if len(h.be.rec.called("SignContract")) != 0 {
		t.Error("an electronic signature on behalf reached the service")
	}
	if r := b.post(t, "/coordinator/contracts/c-1/sign", url.Values{"method": {"SIGNATURE_METHOD_PAPER"}, "signParty": {"PARTY_HOST"}}); r.header.Get("Location") != "/coordinator/contracts/c-1" {
		t.Errorf("sign: %d to %q", r.code, r.header.Get("Location"))
	}
	if c := h.be.rec.called("SignContract"); len(c) != 1 || c[0].req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_HOST ||
		c[0].req.(*contractsv1.SignContractRequest).GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_PAPER {
		t.Errorf("SignContract: %v", c)
	}

	// A draft: the key terms change, with the service's errors next to their inputs.
	r = b.get(t, "/coordinator/contracts/c-2")
	if !strings.Contains(r.body, `value="150,50"`) || !strings.Contains(r.body, "Envoyer pour signature") {
		t.Error("draft: terms form or send button missing")
	}
	r = b.post(t, "/coordinator/contracts/c-2/terms", url.Values{"sharedSpaces": {"cuisine, jardin ;salon"}, "houseRules": {"Calme après 22 h"}, "entryInventory": {"Lit, bureau"}, "contribution": {"300"}, "etag": {"e-1"}})
	if r.code != http.StatusBadRequest || !regexp.MustCompile(`(?s)id="f-contribution-error".*f-contribution`).MatchString(r.body) || !strings.Contains(r.body, "dépasse le plafond") || strings.Contains(r.body, "€200.00") {
		t.Errorf("cap refusal not next to the contribution: %d\n%s", r.code, r.body)
	}
	if !strings.Contains(r.body, "Calme après 22 h") {
		t.Error("the typed terms are lost")
	}
	r = b.post(t, "/coordinator/contracts/c-2/terms", url.Values{"sharedSpaces": {"cuisine, jardin ;salon"}, "houseRules": {"Calme après 22 h"}, "entryInventory": {"Lit, bureau"}, "contribution": {"120,5"}, "etag": {"e-1"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("terms: %d\n%s", r.code, r.body)
	}
	c := h.be.rec.called("UpdateContract")
	if len(c) != 2 {
		t.Fatalf("UpdateContract calls: %d", len(c))
	}
	u := c[1].req.(*contractsv1.UpdateContractRequest)
	if got := u.GetContract().GetTerms(); !slices.Equal(got.GetSharedSpaces(), []string{"cuisine", "jardin", "salon"}) || got.GetMonthlyContributionCents() != 12050 ||
		got.GetHouseRules() != "Calme après 22 h" || got.GetEntryInventory() != "Lit, bureau" || u.GetContract().GetEtag() != "e-1" {
		t.Errorf("terms sent: %v", u)
	}
	if !slices.Equal(u.GetUpdateMask().GetPaths(), []string{"terms.shared_spaces", "terms.house_rules", "terms.entry_inventory", "terms.monthly_contribution_cents"}) {
		t.Errorf("mask: %v", u.GetUpdateMask().GetPaths())
	}
	b.post(t, "/coordinator/contracts/c-2/send", nil)
	if len(h.be.rec.called("SendContract")) != 1 {
		t.Error("not sent")
	}

	// Active: a notice too short is refused, the earliest date named next to the date, in
	// the page's language.
	r = b.post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Départ en stage"}, "effectiveDate": {"01/12/2026"}, "party": {"PARTY_STUDENT"}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "la date la plus proche possible est le 25 décembre 2026") ||
		!regexp.MustCompile(`(?s)id="f-effectiveDate-error".*aria-invalid="true" aria-describedby="f-effectiveDate-hint f-effectiveDate-error"`).MatchString(r.body) {
		t.Errorf("notice refusal: %d\n%s", r.code, r.body)
	}
	if tr := h.be.rec.called("TerminateContract"); len(tr) != 1 || tr[0].req.(*contractsv1.TerminateContractRequest).GetEffectiveDate() != "2026-12-01" ||
		tr[0].req.(*contractsv1.TerminateContractRequest).GetParty() != matchingv1.Party_PARTY_STUDENT {
		t.Errorf("TerminateContract: %v", tr)
	}
	b.setLang(t, "en")
	r = b.post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Internship"}, "effectiveDate": {"2026-12-01"}})
	if !strings.Contains(r.body, "the earliest possible date is 25 December 2026") {
		t.Error("notice refusal not in English")
	}
	if r := b.post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {""}, "effectiveDate": {"2027-01-10"}}); r.code != http.StatusBadRequest || len(h.be.rec.called("TerminateContract")) != 2 {
		t.Error("a notice without reason reached the service")
	}
	if r := b.post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Internship"}, "effectiveDate": {"2027-01-10"}}); r.code != http.StatusSeeOther {
		t.Errorf("terminate: %d", r.code)
	}
	// Renew.
	r = b.post(t, "/coordinator/contracts/c-3/renew", url.Values{"endDate": {"2027-05-01"}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, "Choose a date after the current end, 30 June 2027.") {
		t.Errorf("renew refusal: %d", r.code)
	}
	if r := b.post(t, "/coordinator/contracts/c-3/renew", url.Values{"endDate": {"2027-09-30"}}); r.code != http.StatusSeeOther {
		t.Errorf("renew: %d", r.code)
	}
}

func TestStudentSignsAndReportsAProblem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "lea@example.org")
	r := b.get(t, "/student")
	for _, s := range []string{"Ma chambre et ma convention", `action="/student/contracts/c-4/sign"`, `href="/contracts/c-4/document"`, `href="/student/contracts/c-3/incident"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("student home lacks %q", s)
		}
	}
	if strings.Contains(r.body, "/student/contracts/c-2/") || strings.Contains(r.body, "/student/contracts/c-3/sign") {
		t.Error("a draft, or a signature of an active contract, offered")
	}
	if r := b.post(t, "/student/contracts/c-4/sign", url.Values{"next": {"/student"}}); r.code != http.StatusSeeOther || r.header.Get("Location") != "/student" {
		t.Errorf("sign: %d to %q", r.code, r.header.Get("Location"))
	}
	if c := h.be.rec.called("SignContract"); len(c) != 1 || c[0].auth != "Bearer tok-student" || c[0].req.(*contractsv1.SignContractRequest).GetParty() != matchingv1.Party_PARTY_UNSPECIFIED ||
		c[0].req.(*contractsv1.SignContractRequest).GetMethod() != contractsv1.SignatureMethod_SIGNATURE_METHOD_ELECTRONIC {
		t.Errorf("SignContract: %v", c)
	}

	// Report a problem: severity as labelled radio buttons, the description required.
	r = b.get(t, "/student/contracts/c-3/incident")
	if !strings.Contains(r.body, `<legend>Est-ce grave ?`) || strings.Count(r.body, `type="radio"`) != 4 || !strings.Contains(r.body, `value="SEVERITY_LOW" checked`) {
		t.Errorf("incident form:\n%s", r.body)
	}
	if r := b.post(t, "/student/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_HIGH"}, "category": {"NOISE"}, "description": {" "}}); r.code != http.StatusBadRequest ||
		!strings.Contains(r.body, `id="f-description-error"`) || len(h.be.rec.called("CreateIncident")) != 0 {
		t.Errorf("empty description: %d", r.code)
	}
	if r := b.post(t, "/student/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_HIGH"}, "category": {"WHATEVER"}, "description": {"Fuite"}}); r.code != http.StatusBadRequest ||
		!strings.Contains(r.body, `id="f-category-error"`) {
		t.Errorf("service refusal not next to the category: %d", r.code)
	}
	r = b.post(t, "/student/contracts/c-3/incident", url.Values{"severity": {"SEVERITY_HIGH"}, "category": {"NOISE"}, "description": {"Travaux la nuit"}, "requestId": {"rq-1"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/student" {
		t.Fatalf("report: %d to %q", r.code, r.header.Get("Location"))
	}
	c := h.be.rec.called("CreateIncident")
	if len(c) != 2 {
		t.Fatalf("CreateIncident calls: %d", len(c))
	}
	if in := c[1].req.(*contractsv1.CreateIncidentRequest); in.GetContractId() != "c-3" || in.GetSeverity() != contractsv1.Severity_SEVERITY_HIGH ||
		in.GetCategory() != "NOISE" || in.GetDescription() != "Travaux la nuit" || in.GetRequestId() != "rq-1" {
		t.Errorf("CreateIncident: %v", in)
	}
	if r := b.get(t, "/student"); !strings.Contains(r.body, "Votre signalement est enregistré") {
		t.Error("no confirmation")
	}

	// The host is told the coordinator can record her signature on paper.
	j := h.browser(t)
	j.login(t, "jeanne@example.org")
	if r := j.get(t, "/host"); !strings.Contains(r.body, "Votre coordinatrice peut l’imprimer et enregistrer votre signature.") {
		t.Error("assisted host not told about the paper signature")
	}
}

func TestCheckinAgendaAndCompletion(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	// Today is 25 November: ci-1 (24th) is overdue, ci-2 due today, ci-4 to come, ci-3 missed.
	r := b.get(t, "/coordinator/checkins")
	body := r.body
	iOver, iToday, iMissed, iUp := strings.Index(body, `id="ck-overdue"`), strings.Index(body, `id="ck-today"`), strings.Index(body, `id="ck-missed"`), strings.Index(body, `id="ck-upcoming"`)
	at := func(id string) int { return strings.Index(body, "/coordinator/checkins/"+id+"?") }
	if !(iOver < at("ci-1") && at("ci-1") < iToday && iToday < at("ci-2") && at("ci-2") < iMissed && iMissed < at("ci-3") && at("ci-3") < iUp && iUp < at("ci-4")) {
		t.Errorf("agenda order wrong: %d %d %d %d / %d %d %d %d", iOver, iToday, iMissed, iUp, at("ci-1"), at("ci-2"), at("ci-3"), at("ci-4"))
	}

	// The form: method and the two wellbeing marks as labelled radio buttons.
	r = b.get(t, "/coordinator/checkins/ci-1?contract=c-9")
	for _, s := range []string{"<h1>Suivi de Marcel Blanc et Inès Moreau</h1>", `<legend>Comment va l’hôte ? <span class="req">`, `id="f-hostWellbeing-5"`,
		`<label for="f-studentWellbeing-1">1 — Mal</label>`, `value="CHECKIN_METHOD_PHONE" checked`, `name="concern"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("check-in form lacks %q", s)
		}
	}
	// Marks missing: errors next to the groups, nothing sent.
	r = b.post(t, "/coordinator/checkins/ci-1?contract=c-9", url.Values{"contract": {"c-9"}, "method": {"CHECKIN_METHOD_VISIT"}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-hostWellbeing-error"`) || !strings.Contains(r.body, `id="f-studentWellbeing-error"`) ||
		!strings.Contains(r.body, `value="CHECKIN_METHOD_VISIT" checked`) || len(h.be.rec.called("CompleteCheckin")) != 0 {
		t.Errorf("missing marks: %d", r.code)
	}
	// The service's refusal next to its field.
	r = b.post(t, "/coordinator/checkins/ci-1?contract=c-9", url.Values{"contract": {"c-9"}, "method": {"CHECKIN_METHOD_VISIT"}, "hostWellbeing": {"4"}, "studentWellbeing": {"2"}, "notes": {strings.Repeat("n", 60)}})
	if r.code != http.StatusBadRequest || !strings.Contains(r.body, `id="f-notes-error"`) || !strings.Contains(r.body, `id="f-hostWellbeing-4" name="hostWellbeing" value="4" checked`) {
		t.Errorf("notes refusal: %d", r.code)
	}
	r = b.post(t, "/coordinator/checkins/ci-1?contract=c-9", url.Values{"contract": {"c-9"}, "method": {"CHECKIN_METHOD_VISIT"}, "hostWellbeing": {"4"}, "studentWellbeing": {"2"}, "notes": {"Léa fatiguée"}, "concern": {"on"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/checkins" {
		t.Fatalf("complete: %d to %q", r.code, r.header.Get("Location"))
	}
	c := h.be.rec.called("CompleteCheckin")
	if in := c[len(c)-1].req.(*contractsv1.CompleteCheckinRequest); in.GetId() != "ci-1" || in.GetMethod() != contractsv1.CheckinMethod_CHECKIN_METHOD_VISIT ||
		in.GetHostWellbeing() != 4 || in.GetStudentWellbeing() != 2 || !in.GetConcern() || in.GetNotes() != "Léa fatiguée" {
		t.Errorf("CompleteCheckin: %v", in)
	}
	// A check-in already done says so.
	if r := b.get(t, "/coordinator/checkins/ci-5?contract=c-9"); !strings.Contains(r.body, "Ce suivi est fait") || strings.Contains(r.body, "Enregistrer le suivi") {
		t.Error("a done check-in offers the form")
	}
}

func TestIncidentsBySeverityMediateResolve(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.get(t, "/coordinator/incidents")
	// Unresolved by default, the most severe first.
	if i1, i2, i3 := strings.Index(r.body, "Chute dans"), strings.Index(r.body, "Bruit le soir"), strings.Index(r.body, "Horaires de repas"); !(i1 > 0 && i1 < i2 && i1 < i3) || strings.Contains(r.body, "Clés perdues") {
		t.Errorf("order or filter wrong")
	}
	if strings.Count(r.body, "/mediate\"") != 2 || strings.Count(r.body, "/resolve\"") != 3 {
		t.Errorf("actions: %d mediate, %d resolve", strings.Count(r.body, "/mediate\""), strings.Count(r.body, "/resolve\""))
	}
	if r := b.get(t, "/coordinator/incidents?status=INCIDENT_STATUS_RESOLVED"); !strings.Contains(r.body, "Clés perdues") || !strings.Contains(r.body, "ODD_CODE") || strings.Contains(r.body, "/resolve\"") {
		t.Error("resolved list")
	}
	b.post(t, "/coordinator/incidents/i-1/mediate", url.Values{"next": {"/coordinator/incidents"}})
	if c := h.be.rec.called("MediateIncident"); len(c) != 1 || c[0].req.(*contractsv1.MediateIncidentRequest).GetId() != "i-1" {
		t.Errorf("MediateIncident: %v", c)
	}
	b.post(t, "/coordinator/incidents/i-1/resolve", url.Values{"resolution": {" "}})
	if len(h.be.rec.called("ResolveIncident")) != 0 {
		t.Error("resolved without a resolution")
	}
	if r := b.get(t, "/coordinator/incidents"); !strings.Contains(r.body, "Dites comment l’incident a été résolu.") {
		t.Error("no message for a missing resolution")
	}
	b.post(t, "/coordinator/incidents/i-1/resolve", url.Values{"resolution": {"Rampe posée"}})
	if c := h.be.rec.called("ResolveIncident"); len(c) != 1 || c[0].req.(*contractsv1.ResolveIncidentRequest).GetResolution() != "Rampe posée" {
		t.Errorf("ResolveIncident: %v", c)
	}
	if r := b.get(t, "/coordinator/incidents"); !strings.Contains(r.body, "L’incident est clos.") {
		t.Error("no confirmation")
	}
}

func TestContractDocument(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "jeanne@example.org")
	r := b.get(t, "/contracts/c-1/document")
	if r.code != http.StatusOK || r.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.body, "%PDF") {
		t.Errorf("document: %d %q", r.code, r.header.Get("Content-Type"))
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	r := b.get(t, h.app.Assets.URL("htmx.min.js"))
	if r.code != http.StatusOK || !strings.Contains(r.header.Get("Cache-Control"), "immutable") || !strings.Contains(r.header.Get("Content-Type"), "javascript") {
		t.Errorf("htmx: %d %q %q", r.code, r.header.Get("Cache-Control"), r.header.Get("Content-Type"))
	}
	if r := b.get(t, "/static/app.css"); r.code != http.StatusOK || r.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("css without version: %d %q", r.code, r.header.Get("Cache-Control"))
	}
	if r := b.get(t, "/static/nope.js"); r.code != http.StatusNotFound {
		t.Errorf("missing file: %d", r.code)
	}
	if r := b.get(t, "/login"); !strings.Contains(r.header.Get("Content-Security-Policy"), "script-src 'self'") || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("page headers: CSP %q, Cache-Control %q", r.header.Get("Content-Security-Policy"), r.header.Get("Cache-Control"))
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
	h := newHarness(t)
	covered := map[string]bool{}
	for _, lang := range webapp.Languages {
		browsers := map[string]*browser{}
		for _, pc := range pageCases {
			b := browsers[pc.who]
			if b == nil {
				b = h.browser(t)
				b.setLang(t, lang)
				if pc.who != "" {
					b.login(t, pc.who)
				}
				browsers[pc.who] = b
			}
			var r response
			method := "GET"
			if pc.form != nil {
				method = "POST"
				r = b.post(t, pc.path, pc.form)
			} else {
				r = b.get(t, pc.path)
			}
			name := lang + " " + method + " " + pc.path + " as " + pc.who
			if r.code != pc.code {
				t.Errorf("%s: code %d, want %d\n%s", name, r.code, pc.code, r.body)
				continue
			}
			if pc.tmpl == "" {
				continue // a redirect
			}
			covered[pc.tmpl] = true
			if !strings.Contains(r.body, `<html lang="`+lang+`"`) {
				t.Errorf("%s: not in %s", name, lang)
			}
			if strings.Contains(r.body, "⟦") {
				t.Errorf("%s: missing translations: %v", name, regexp.MustCompile(`⟦[^⟧]*⟧`).FindAllString(r.body, -1))
			}
			if p := checkAccessibility(r.body); len(p) > 0 {
				t.Errorf("%s: accessibility: %s", name, strings.Join(p, "; "))
			}
		}
	}
	if m := h.app.Cat.Missing(); len(m) > 0 {
		t.Errorf("translations asked for and missing: %v", m)
	}
	for name := range h.app.Pages.Set {
		if !covered[name] {
			t.Errorf("template %s is rendered by no test case", name)
		}
	}
}

// A coordinator registers a student on her behalf, with her agreement: the same fields as the
// student's own profile, the service's refusals next to their inputs, then the pending list.
func TestCoordinatorRegistersAStudent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/students")
	if !strings.Contains(r.body, `href="/coordinator/students/new"`) {
		t.Fatalf("the students list has no link to the registration")
	}
	r = b.get(t, "/coordinator/students/new")
	if r.code != http.StatusOK || !strings.Contains(r.body, "avec son accord") || !strings.Contains(r.body, "Sa motivation") ||
		strings.Contains(r.body, "Votre motivation") || strings.Contains(r.body, "coordinator@example.org") {
		t.Fatalf("new student page: %d\n%s", r.code, r.body)
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("new student page: %v", p)
	}

	// The service refuses an empty name and town: each message sits next to its input.
	r = b.post(t, "/coordinator/students", url.Values{"institution": {"Université Lyon 2"}, "maxCommuteKm": {"8"}})
	if r.code != http.StatusBadRequest {
		t.Fatalf("code %d", r.code)
	}
	doc, _ := html.Parse(strings.NewReader(r.body))
	for _, field := range []string{"f-displayName", "f-studyCity"} {
		in := find(doc, field)
		if in == nil {
			t.Fatalf("no input #%s", field)
		}
		if attr(in, "aria-invalid") != "true" || !strings.Contains(attr(in, "aria-describedby"), field+"-error") {
			t.Errorf("#%s: aria-invalid=%q aria-describedby=%q", field, attr(in, "aria-invalid"), attr(in, "aria-describedby"))
		}
		if e := find(doc, field+"-error"); e == nil || e.Parent != in.Parent {
			t.Errorf("#%s-error missing or not next to its input", field)
		}
		if !strings.Contains(r.body, `href="#`+field+`"`) {
			t.Errorf("error summary lacks #%s", field)
		}
	}
	if in := find(doc, "f-institution"); attr(in, "value") != "Université Lyon 2" {
		t.Errorf("institution value = %q", attr(in, "value"))
	}
	if p := checkAccessibility(r.body); len(p) > 0 {
		t.Errorf("form with errors: %v", p)
	}

	// Fixed, the student is registered and the coordinator sees the students to verify.
	r = b.post(t, "/coordinator/students", url.Values{
		"displayName": {"Inès Garcia"}, "birthDate": {"2004-05-06"}, "studyCity": {"Lyon"}, "studyPostcode": {"69007"}, "languages": {"fr, es"},
		"servicesOffered": {"SERVICE_COMPANY", "SERVICE_MEALS"}, "requestId": {"rq-1"},
	})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/students?status=STUDENT_STATUS_PENDING_VERIFICATION" {
		t.Fatalf("fixed form: %d to %q\n%s", r.code, r.header.Get("Location"), r.body)
	}
	calls := h.be.rec.called("CreateStudent")
	if len(calls) != 2 {
		t.Fatalf("CreateStudent calls = %d", len(calls))
	}
	req := calls[1].req.(*studentsv1.CreateStudentRequest)
	sent := req.GetStudent()
	// No coordinates typed: none sent (the students service places the town, marked approximate).
	if sent.GetDisplayName() != "Inès Garcia" || sent.GetStudyPlace().GetLat() != 0 || sent.GetStudyPlace().GetCity() != "Lyon" || sent.GetStudyPlace().GetPostcode() != "69007" || len(sent.GetServicesOffered()) != 2 ||
		len(sent.GetLanguages()) != 2 || req.GetRequestId() != "rq-1" || sent.GetEmail() != "" {
		t.Errorf("sent: %v (request %q)", sent, req.GetRequestId())
	}
	r = b.get(t, r.header.Get("Location"))
	if !strings.Contains(r.body, "L’étudiant est inscrit.") {
		t.Errorf("no flash after registering")
	}
}

// The dashboard's verify buttons name the person in their next page; after the pending list
// is swapped in place, her row stays with its new status under the button's id, where htmx
// puts the focus back. Unknown or still pending, nothing is added and the page still shows.
func TestDashboardVerifyKeepsFocusOnTheUpdatedRow(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator")
	doc, _ := html.Parse(strings.NewReader(r.body))
	if in := findNext(doc, "verify-host-h-2"); in != "/coordinator?verified=host:h-2" {
		t.Errorf("host verify form's next = %q", in)
	}
	if in := findNext(doc, "verify-student-s-2"); in != "/coordinator?verified=student:s-2" {
		t.Errorf("student verify form's next = %q", in)
	}
	// The swap also brings the counters, so "to verify" drops by one without a reload.
	if find(doc, "dash-cards") == nil {
		t.Errorf("no #dash-cards for the swap to replace")
	}
	for _, id := range []string{"verify-host-h-2", "verify-student-s-2"} {
		el := find(doc, id)
		for ; el != nil && el.Data != "form"; el = el.Parent {
		}
		if oob := attr(el, "hx-select-oob"); !strings.Contains(oob, "#dash-cards") {
			t.Errorf("%s: hx-select-oob = %q, without the counters", id, oob)
		}
	}

	r = b.post(t, "/coordinator/hosts/h-2/verify", url.Values{"next": {"/coordinator?verified=host:h-2"}})
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator?verified=host:h-2" {
		t.Fatalf("verify: %d to %q", r.code, r.header.Get("Location"))
	}

	for _, c := range []struct{ query, id, name string }{
		{"host:h-1", "verify-host-h-1", "Jeanne Martin"},
		{"student:s-1", "verify-student-s-1", "Léa Bernard"},
	} {
		r := b.get(t, "/coordinator?verified="+c.query)
		if r.code != http.StatusOK {
			t.Fatalf("%s: code %d", c.query, r.code)
		}
		doc, _ := html.Parse(strings.NewReader(r.body))
		el := find(doc, c.id)
		if el == nil || el.Data != "span" || attr(el, "tabindex") != "-1" || !strings.Contains(text(el), "Vérifié") || !strings.Contains(text(el), c.name) {
			t.Errorf("%s: no focusable status for the updated row: %v", c.query, el)
		}
		if pending := find(doc, "pending"); pending == nil || !strings.Contains(text(pending), c.name) {
			t.Errorf("%s: the row is not in the swapped pending lists", c.query)
		}
		if p := checkAccessibility(r.body); len(p) > 0 {
			t.Errorf("%s: %v", c.query, p)
		}
	}
	// Still pending (a refused verification): the button itself stays, once.
	r = b.get(t, "/coordinator?verified=host:h-3")
	if n := strings.Count(r.body, `id="verify-host-h-3"`); r.code != http.StatusOK || n != 1 {
		t.Errorf("still pending: code %d, %d elements with the id", r.code, n)
	}
	for _, q := range []string{"host:h-9", "student:s-9", "room:r-1", "nonsense"} {
		if r := b.get(t, "/coordinator?verified="+url.QueryEscape(q)); r.code != http.StatusOK || strings.Contains(r.body, `class="done"`) {
			t.Errorf("%s: code %d", q, r.code)
		}
	}
}

// findNext is the "next" value of the form holding the element of id.
func findNext(doc *html.Node, id string) string {
	el := find(doc, id)
	for ; el != nil && el.Data != "form"; el = el.Parent {
	}
	if el == nil {
		return ""
	}
	for _, in := range findAll(el, "input", "") {
		if attr(in, "name") == "next" {
			return attr(in, "value")
		}
	}
	return ""
}

package account_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"
)

func TestLoginSetsSessionCookieAndRedirectsByRole(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	for email, home := range map[string]string{
		"coordinator@example.org": "/coordinator", "jeanne@example.org": "/host",
		"lea@example.org": "/student", "admin@example.org": "/admin",
	} {
		b := h.Browser(t)
		b.Get(t, "/login")
		r := b.Post(t, "/login", url.Values{"email": {email}, "password": {"secret-password"}})
		if r.Code != http.StatusSeeOther || r.Header.Get("Location") != home {
			t.Errorf("%s: %d to %q, want 303 to %s", email, r.Code, r.Header.Get("Location"), home)
		}
		c := webapptest.SetCookieHeader(r, webapp.CookieSession)
		for _, want := range []string{"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="} {
			if !strings.Contains(c, want) {
				t.Errorf("%s: session cookie %q lacks %s", email, c, want)
			}
		}
		if strings.Contains(c, "Secure") {
			t.Errorf("%s: session cookie over plain http is Secure: %q", email, c)
		}
		if b.Cookie(webapp.CookieSession) != webapptest.Logins[email] {
			t.Errorf("%s: session cookie holds %q", email, b.Cookie(webapp.CookieSession))
		}
		// The landing page now sends the account home.
		if r := b.Get(t, "/"); r.Code != http.StatusSeeOther || r.Header.Get("Location") != home {
			t.Errorf("%s: GET / = %d to %q", email, r.Code, r.Header.Get("Location"))
		}
	}

	// Behind a TLS proxy the cookie is Secure.
	b := h.Browser(t)
	b.Get(t, "/login")
	form := url.Values{"email": {"lea@example.org"}, "password": {"secret-password"}, webapp.CSRFField: {b.Cookie(webapp.CookieCSRF)}}
	req, _ := http.NewRequest("POST", h.Srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	r := b.Do(t, req)
	if c := webapptest.SetCookieHeader(r, webapp.CookieSession); !strings.Contains(c, "Secure") {
		t.Errorf("session cookie over https: %q, want Secure", c)
	}

	// Back to the page that asked for sign-in, but never to another site.
	b = h.Browser(t)
	if r := b.Get(t, "/coordinator/hosts"); r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fcoordinator%2Fhosts" {
		t.Fatalf("signed out: %d to %q", r.Code, r.Header.Get("Location"))
	}
	r = b.Post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}, "next": {"/coordinator/hosts"}})
	if r.Header.Get("Location") != "/coordinator/hosts" {
		t.Errorf("next: to %q", r.Header.Get("Location"))
	}
	b = h.Browser(t)
	r = b.Post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}, "next": {"//evil.example/"}})
	if r.Header.Get("Location") != "/coordinator" {
		t.Errorf("next=//evil.example: to %q", r.Header.Get("Location"))
	}
}

func TestLoginRefusedShowsError(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	r := b.Post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"wrong"}})
	if r.Code != http.StatusUnauthorized {
		t.Fatalf("code = %d", r.Code)
	}
	if !strings.Contains(r.Body, "L’adresse e-mail ou le mot de passe est incorrect.") {
		t.Errorf("no error message:\n%s", r.Body)
	}
	if strings.Contains(r.Body, `value="wrong"`) {
		t.Error("the password is written back into the page")
	}
	if b.Cookie(webapp.CookieSession) != "" {
		t.Error("a refused login set a session")
	}
}

// An email locked out after failed attempts gets a page that says so, as the API's 429
// does — not a 500 (issue 18).
func TestLoginLockedOutIs429(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	r := b.Post(t, "/login", url.Values{"email": {"locked@example.org"}, "password": {"whatever"}})
	if r.Code != http.StatusTooManyRequests {
		t.Fatalf("code = %d, want 429", r.Code)
	}
	if !strings.Contains(r.Body, "Trop d’essais pour cette adresse") {
		t.Errorf("no lockout message:\n%s", r.Body)
	}
}

// A next that a browser would read as another site is never followed after sign-in.
func TestLoginNextStaysOnSite(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	r := b.Post(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}, "next": {"/\t/evil.example/"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator" {
		t.Errorf("login with next=/<tab>/evil.example/: %d to %q, want /coordinator", r.Code, r.Header.Get("Location"))
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	before := b.Cookie(webapp.CookieCSRF)
	r := b.Post(t, "/logout", nil)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Fatalf("logout: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if b.Cookie(webapp.CookieSession) != "" {
		t.Error("session cookie kept after logout")
	}
	if b.Cookie(webapp.CookieCSRF) == before {
		t.Error("CSRF token not rotated at logout")
	}
	if r := b.Get(t, "/coordinator"); r.Code != http.StatusSeeOther {
		t.Errorf("after logout: %d", r.Code)
	}
}

func TestPostWithoutCSRFTokenIsRefused(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	for name, form := range map[string]url.Values{
		"no token":    {},
		"wrong token": {webapp.CSRFField: {webapp.NewToken()}},
		"empty token": {webapp.CSRFField: {""}},
	} {
		r := b.PostRaw(t, "/coordinator/hosts/h-2/verify", form)
		if r.Code != http.StatusForbidden {
			t.Errorf("%s: code %d, want 403", name, r.Code)
		}
	}
	if n := len(h.Be.Rec.Called("VerifyHost")); n != 0 {
		t.Errorf("VerifyHost called %d times without a CSRF token", n)
	}
	// Login and the preferences are forms too.
	fresh := h.Browser(t)
	fresh.Get(t, "/login")
	if r := fresh.PostRaw(t, "/login", url.Values{"email": {"coordinator@example.org"}, "password": {"secret-password"}}); r.Code != http.StatusForbidden {
		t.Errorf("login without token: %d", r.Code)
	}
	if r := fresh.PostRaw(t, "/prefs/lang", url.Values{"lang": {"en"}}); r.Code != http.StatusForbidden {
		t.Errorf("language switch without token: %d", r.Code)
	}
	// With the token it goes through.
	if r := b.Post(t, "/coordinator/hosts/h-2/verify", url.Values{"next": {"/coordinator"}}); r.Code != http.StatusSeeOther {
		t.Errorf("with token: %d", r.Code)
	}
}

func TestCallsCarryTheSessionToken(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	b.Get(t, "/coordinator")
	for _, m := range []string{"GetMe", "ListHosts", "ListStudents", "ListMatches", "ListContracts", "ListCheckins", "ListIncidents"} {
		calls := h.Be.Rec.Called(m)
		if len(calls) == 0 {
			t.Errorf("%s not called", m)
		}
		for _, c := range calls {
			if c.Auth != "Bearer tok-coord" {
				t.Errorf("%s carried %q", m, c.Auth)
			}
		}
	}
}

func TestExpiredSessionGoesBackToLogin(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Get(t, "/login")
	u, _ := url.Parse(h.Srv.URL)
	b.Hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "tok-expired", Path: "/"}})
	r := b.Get(t, "/coordinator/students?status=STUDENT_STATUS_VERIFIED")
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login?next=%2Fcoordinator%2Fstudents%3Fstatus%3DSTUDENT_STATUS_VERIFIED" {
		t.Errorf("GET: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if b.Cookie(webapp.CookieSession) != "" {
		t.Error("the stale session cookie is kept")
	}
	// A form cannot be replayed after signing in: back home instead.
	b.Hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "tok-expired", Path: "/"}})
	r = b.Post(t, "/coordinator/hosts/h-2/verify", nil)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
		t.Errorf("POST: %d to %q", r.Code, r.Header.Get("Location"))
	}
	// The landing page forgets a stale session too.
	b.Hc.Jar.SetCookies(u, []*http.Cookie{{Name: webapp.CookieSession, Value: "tok-expired", Path: "/"}})
	if r := b.Get(t, "/"); r.Code != http.StatusOK {
		t.Errorf("landing with a stale session: %d", r.Code)
	}
}

func TestRoleMismatchIsForbidden(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "jeanne@example.org")
	if r := b.Get(t, "/coordinator"); r.Code != http.StatusForbidden {
		t.Errorf("host on the dashboard: %d", r.Code)
	}
}

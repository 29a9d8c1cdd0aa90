package site

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/services/platform/logging"
)

// fixedNow is the tests' clock: Wednesday 25 November 2026, 10:00 in Paris.
var fixedNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

type harness struct {
	app *webapp.App
	srv *httptest.Server
	be  *backends
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	be := startBackends(t)
	conns := webapp.Conns{"identity": be.conn, "hosts": be.conn, "students": be.conn, "matching": be.conn, "contracts": be.conn, "notifications": be.conn, "figures": be.conn, "desk": be.conn}
	svc, err := conns.Clients()
	if err != nil {
		t.Fatal(err)
	}
	app, err := webapp.NewApp(svc, logging.Discard(), func() time.Time { return fixedNow }, audiences...)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	return &harness{app: app, srv: srv, be: be}
}

// browser is a cookie-keeping client that does not follow redirects, so tests see them.
type browser struct {
	h  *harness
	hc *http.Client
}

func (h *harness) browser(t *testing.T) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &browser{h: h, hc: &http.Client{
		Jar:           jar,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type response struct {
	code   int
	header http.Header
	body   string
}

func (b *browser) do(t *testing.T, req *http.Request) response {
	t.Helper()
	res, err := b.hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{code: res.StatusCode, header: res.Header, body: string(body)}
}

func (b *browser) get(t *testing.T, path string) response {
	t.Helper()
	req, _ := http.NewRequest("GET", b.h.srv.URL+path, nil)
	return b.do(t, req)
}

// cookie returns the value of a cookie the browser holds.
func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.h.srv.URL)
	for _, c := range b.hc.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// post sends a form with the browser's CSRF token, as a page's form does. When the browser
// has no token yet it fetches the login page first, as a person would.
func (b *browser) post(t *testing.T, path string, form url.Values) response {
	t.Helper()
	if b.cookie(webapp.CookieCSRF) == "" {
		b.get(t, "/login")
	}
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set(webapp.CSRFField, b.cookie(webapp.CookieCSRF))
	return b.postRaw(t, path, f)
}

// postRaw sends form as it is.
func (b *browser) postRaw(t *testing.T, path string, form url.Values) response {
	t.Helper()
	req, _ := http.NewRequest("POST", b.h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(t, req)
}

// login signs in with the fakes' password and fails the test unless it worked.
func (b *browser) login(t *testing.T, email string) {
	t.Helper()
	r := b.post(t, "/login", url.Values{"email": {email}, "password": {"secret-password"}})
	if r.code != http.StatusSeeOther {
		t.Fatalf("login %s: code %d\n%s", email, r.code, r.body)
	}
}

func (b *browser) setLang(t *testing.T, lang string) {
	t.Helper()
	if r := b.post(t, "/prefs/lang", url.Values{"lang": {lang}, "next": {"/"}}); r.code != http.StatusSeeOther {
		t.Fatalf("switch to %s: code %d", lang, r.code)
	}
}

package webapptest

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
	"github.com/cohabit/cohabit/gateway/internal/webapp/site"
	"github.com/cohabit/cohabit/services/platform/logging"
)

// fixedNow is the tests' clock: Wednesday 25 November 2026, 10:00 in Paris.
var FixedNow = time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)

type Harness struct {
	App *webapp.App
	Srv *httptest.Server
	Be  *backends
}

func NewHarness(t *testing.T) *Harness {
	t.Helper()
	be := startBackends(t)
	conns := webapp.Conns{"identity": be.conn, "hosts": be.conn, "students": be.conn, "matching": be.conn, "contracts": be.conn, "notifications": be.conn, "figures": be.conn, "desk": be.conn}
	svc, err := conns.Clients()
	if err != nil {
		t.Fatal(err)
	}
	app, err := webapp.NewApp(svc, logging.Discard(), func() time.Time { return FixedNow }, site.Audiences...)
	if err != nil {
		t.Fatalf("newApp: %v", err)
	}
	srv := httptest.NewServer(app)
	t.Cleanup(srv.Close)
	return &Harness{App: app, Srv: srv, Be: be}
}

// browser is a cookie-keeping client that does not follow redirects, so tests see them.
type Browser struct {
	h  *Harness
	Hc *http.Client
}

func (h *Harness) Browser(t *testing.T) *Browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &Browser{h: h, Hc: &http.Client{
		Jar:           jar,
		Timeout:       20 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

type Response struct {
	Code   int
	Header http.Header
	Body   string
}

func (b *Browser) Do(t *testing.T, req *http.Request) Response {
	t.Helper()
	res, err := b.Hc.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return Response{Code: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (b *Browser) Get(t *testing.T, path string) Response {
	t.Helper()
	req, _ := http.NewRequest("GET", b.h.Srv.URL+path, nil)
	return b.Do(t, req)
}

// cookie returns the value of a cookie the browser holds.
func (b *Browser) Cookie(name string) string {
	u, _ := url.Parse(b.h.Srv.URL)
	for _, c := range b.Hc.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// post sends a form with the browser's CSRF token, as a page's form does. When the browser
// has no token yet it fetches the login page first, as a person would.
func (b *Browser) Post(t *testing.T, path string, form url.Values) Response {
	t.Helper()
	if b.Cookie(webapp.CookieCSRF) == "" {
		b.Get(t, "/login")
	}
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	f.Set(webapp.CSRFField, b.Cookie(webapp.CookieCSRF))
	return b.PostRaw(t, path, f)
}

// postRaw sends form as it is.
func (b *Browser) PostRaw(t *testing.T, path string, form url.Values) Response {
	t.Helper()
	req, _ := http.NewRequest("POST", b.h.Srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(t, req)
}

// login signs in with the fakes' password and fails the test unless it worked.
func (b *Browser) Login(t *testing.T, email string) {
	t.Helper()
	r := b.Post(t, "/login", url.Values{"email": {email}, "password": {"secret-password"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("login %s: code %d\n%s", email, r.Code, r.Body)
	}
}

func (b *Browser) SetLang(t *testing.T, lang string) {
	t.Helper()
	if r := b.Post(t, "/prefs/lang", url.Values{"lang": {lang}, "next": {"/"}}); r.Code != http.StatusSeeOther {
		t.Fatalf("switch to %s: code %d", lang, r.Code)
	}
}

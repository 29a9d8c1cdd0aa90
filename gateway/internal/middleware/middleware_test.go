package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestValidRequestID(t *testing.T) {
	t.Parallel()
	cases := map[string]bool{
		"":                       false,
		"abc-123":                true,
		"4ZRNGT6LFMGNDCXKEPBIJJ": true,
		"with space":             false,
		"tab\there":              false,
		"é":                      false,
		strings.Repeat("a", 128): true,
		strings.Repeat("a", 129): false,
	}
	for id, want := range cases {
		if got := validRequestID(id); got != want {
			t.Errorf("validRequestID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestLimitBodyFlagsOnlyOversizedReads(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		body string
		want bool
	}{{"short", false}, {strings.Repeat("x", 11), true}} {
		var tooLarge bool
		h := LimitBody(10, http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
			_, _ = io.ReadAll(r.Body)
			tooLarge = BodyTooLarge(r.Context())
		}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/", strings.NewReader(c.body)))
		if tooLarge != c.want {
			t.Errorf("body of %d bytes: BodyTooLarge = %v, want %v", len(c.body), tooLarge, c.want)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {})
	get := func(h http.Handler, path string, edit func(*http.Request)) http.Header {
		r := httptest.NewRequest("GET", path, nil)
		if edit != nil {
			edit(r)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Result().Header
	}
	h := SecurityHeaders(0, ok)
	for _, p := range []string{"/v1/hosts/h1", "/coordinator/hosts/h1", "/"} {
		if got := get(h, p, nil).Get("Cache-Control"); got != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store (personal data)", p, got)
		}
	}
	for _, p := range []string{"/static/app.css", "/openapi.json"} {
		if got := get(h, p, nil).Get("Cache-Control"); got != "" {
			t.Errorf("%s: Cache-Control %q, want none", p, got)
		}
	}
	if got := get(h, "/", func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") }).Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS off by default, got %q", got)
	}
	on := SecurityHeaders(365*24*time.Hour, ok)
	if got := get(on, "/", nil).Get("Strict-Transport-Security"); got != "" {
		t.Errorf("HSTS over plain HTTP: %q", got)
	}
	if got := get(on, "/", func(r *http.Request) { r.Header.Set("X-Forwarded-Proto", "https") }).Get("Strict-Transport-Security"); got != "max-age=31536000" {
		t.Errorf("HSTS behind a TLS proxy: %q, want max-age=31536000", got)
	}
}

func TestLoopbackOnly(t *testing.T) {
	t.Parallel()
	h := LoopbackOnly(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) }))
	cases := []struct {
		remote, forwarded string
		want              int
	}{
		{"127.0.0.1:5000", "", http.StatusTeapot},
		{"[::1]:5000", "", http.StatusTeapot},
		{"192.0.2.7:5000", "", http.StatusNotFound},
		{"127.0.0.1:5000", "192.0.2.7", http.StatusNotFound},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/metrics", nil)
		r.RemoteAddr = c.remote
		if c.forwarded != "" {
			r.Header.Set("X-Forwarded-For", c.forwarded)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != c.want {
			t.Errorf("%s (forwarded %q): %d, want %d", c.remote, c.forwarded, w.Code, c.want)
		}
	}
}

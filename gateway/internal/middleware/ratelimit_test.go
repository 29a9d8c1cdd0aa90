package middleware

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// Issue 18: nothing limited the authentication endpoints per client address.
func TestAuthLimitPerAddress(t *testing.T) {
	t.Parallel()
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusOK) })
	l := AuthLimit{PerMinute: 6, Burst: 3, Match: func(r *http.Request) bool { return r.Method == http.MethodPost }}
	h := LimitAuth(l, ok)
	send := func(method, path, addr, xff string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, nil)
		r.RemoteAddr = addr
		if xff != "" {
			r.Header.Set("X-Forwarded-For", xff)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := range 3 {
		if w := send("POST", "/v1/auth/login", "203.0.113.7:4000", ""); w.Code != 200 {
			t.Fatalf("attempt %d within the burst: %d", i+1, w.Code)
		}
	}
	w := send("POST", "/v1/auth/login", "203.0.113.7:4001", "")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || w.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("over the limit: %d %v", w.Code, w.Header())
	}
	if w := send("POST", "/login", "203.0.113.7:4002", ""); w.Code != http.StatusTooManyRequests {
		t.Fatalf("the web form from the same address: %d", w.Code)
	}
	// Another address, and what the limit does not count, go on.
	if w := send("POST", "/v1/auth/login", "198.51.100.1:4000", ""); w.Code != 200 {
		t.Fatalf("another address: %d", w.Code)
	}
	if w := send("GET", "/v1/me", "203.0.113.7:4003", ""); w.Code != 200 {
		t.Fatalf("a request the limit does not count: %d", w.Code)
	}
	// X-Forwarded-For is read only when trusted.
	if w := send("POST", "/v1/auth/login", "203.0.113.7:4004", "198.51.100.9"); w.Code != http.StatusTooManyRequests {
		t.Fatalf("an untrusted X-Forwarded-For changed the address: %d", w.Code)
	}
	trusted := LimitAuth(AuthLimit{PerMinute: 6, Burst: 1, TrustForwardedFor: true, Match: l.Match}, ok)
	for i, want := range []int{200, 429} {
		r := httptest.NewRequest("POST", "/v1/auth/signup", nil)
		r.RemoteAddr, r.Header["X-Forwarded-For"] = "10.0.0.1:80", []string{"1.2.3.4, 198.51.100.20"}
		w := httptest.NewRecorder()
		trusted.ServeHTTP(w, r)
		if w.Code != want {
			t.Fatalf("behind the proxy, attempt %d: %d, want %d", i+1, w.Code, want)
		}
	}
	// The bucket refills: 6 a minute is one every 10 seconds.
	ls := &limiters{l: l, by: map[string]*limiter{}}
	now := time.Now()
	ls.now = func() time.Time { return now }
	for range 3 {
		ls.allow("a")
	}
	if _, ok := ls.allow("a"); ok {
		t.Fatal("a fourth attempt at once passed")
	}
	now = now.Add(11 * time.Second)
	if _, ok := ls.allow("a"); !ok {
		t.Fatal("no attempt after the bucket refilled")
	}
}

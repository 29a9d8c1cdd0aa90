package middleware

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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

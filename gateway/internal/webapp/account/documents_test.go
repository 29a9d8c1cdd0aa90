package account_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"
)

// The file is served to the coordinator and to its owner as an attachment, never to another
// person (the desk decides; the page says 403).
func TestDocumentDownload(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	for _, tc := range []struct {
		email string
		code  int
	}{{"coordinator@example.org", 200}, {"jeanne@example.org", 200}, {"lea@example.org", 403}} {
		b := h.Browser(t)
		b.Login(t, tc.email)
		r := b.Get(t, "/documents/h-1-ins/file")
		if r.Code != tc.code {
			t.Errorf("%s: %d", tc.email, r.Code)
			continue
		}
		if tc.code == 200 && (r.Body != "%PDF-1.4 fake" || r.Header.Get("Content-Type") != "application/pdf" ||
			!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") || r.Header.Get("Cache-Control") != "private, no-store") {
			t.Errorf("%s: %q %v", tc.email, r.Body, r.Header)
		}
	}
	if r := h.Browser(t).Get(t, "/documents/h-1-ins/file"); r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
		t.Errorf("signed out: %d", r.Code)
	}
}

func TestContractDocument(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "jeanne@example.org")
	r := b.Get(t, "/contracts/c-1/document")
	if r.Code != http.StatusOK || r.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(r.Body, "%PDF") {
		t.Errorf("document: %d %q", r.Code, r.Header.Get("Content-Type"))
	}
}

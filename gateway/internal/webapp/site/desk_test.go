package site_test

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// A host's and a student's home show their own checklist with an upload form posting to their
// own route; no verify, no reject, no notes. Their upload reaches the desk with their token.
func TestOwnChecklistOnTheHomePages(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	for _, tc := range []struct{ email, home, owner string }{
		{"jeanne@example.org", "/host", "h-1"},
		{"lea@example.org", "/student", "s-1"},
	} {
		b := h.Browser(t)
		b.Login(t, tc.email)
		r := b.Get(t, tc.home)
		body := html.UnescapeString(r.Body)
		if r.Code != 200 {
			t.Fatalf("%s: %d\n%s", tc.home, r.Code, r.Body)
		}
		for _, want := range []string{"Pièce d’identité", "La page 2 manque", `accept="application/pdf,image/jpeg,image/png"`,
			`action="` + tc.home + `/documents/` + tc.owner + `-id/upload?next=` + strings.ReplaceAll(tc.home, "/", "%2f") + `"`, `href="/documents/` + tc.owner + `-ins/file"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", tc.home, want)
			}
		}
		for _, not := range []string{"/verify", "/reject", `id="notes"`, `id="timeline"`, "Préfère être appelée"} {
			if strings.Contains(body, not) {
				t.Errorf("%s shows %q", tc.home, not)
			}
		}
		r = b.PostFile(t, tc.home+"/documents/"+tc.owner+"-id/upload?next="+tc.home, "photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), true)
		if r.Code != http.StatusSeeOther || r.Header.Get("Location") != tc.home+"#doc-"+tc.owner+"-id" {
			t.Errorf("%s upload: %d %s", tc.home, r.Code, r.Header.Get("Location"))
		}
	}
	ups := h.Be.Rec.Called("UploadDocument")
	if len(ups) != 2 || ups[0].Req.(*deskv1.UploadDocumentRequest).GetContentType() != "image/png" {
		t.Fatalf("uploads: %v", ups)
	}
	// Each uses only their own route.
	b := h.Browser(t)
	b.Login(t, "lea@example.org")
	if r := b.PostFile(t, "/host/documents/h-1-id/upload", "photo.png", []byte("\x89PNG\r\n\x1a\n"), true); r.Code != http.StatusForbidden {
		t.Errorf("student on the host's upload: %d", r.Code)
	}
}

package coordinator_test

import (
	"bytes"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// A body past the upload routes' limit (11 MiB) is cut short: the form comes back with the
// reason next to the field, nothing reaches the desk.
func TestDocumentUploadPastTheBodyLimit(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	huge := append(append([]byte{}, webapptest.TinyPDF...), make([]byte, webapp.MaxUploadBody+1<<20)...)
	r := c.PostFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", "scan.pdf", huge, true)
	if loc := r.Header.Get("Location"); r.Code != http.StatusSeeOther || !strings.Contains(loc, "uploadError=size") || !strings.HasPrefix(loc, "/coordinator/hosts/h-1?") {
		t.Errorf("a 12 MiB body: %d %s", r.Code, loc)
	}
	if n := len(h.Be.Rec.Called("UploadDocument")); n != 0 {
		t.Errorf("%d uploads", n)
	}
}

// The coordinator's page of a host and of a student shows the checklist — kind, status,
// rejection reason, the file to download — with, for each document, the upload form a
// phone's camera can fill, and the verify and reject forms; in French and in English.
func TestDocumentChecklistOnTheCoordinatorsPages(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	for _, tc := range []struct{ path, owner, insurance string }{
		{"/coordinator/hosts/h-1", "h-1", "Assurance habitation"},
		{"/coordinator/students/s-1", "s-1", "Assurance responsabilité civile"},
	} {
		r := c.Get(t, tc.path)
		body := html.UnescapeString(r.Body)
		if r.Code != 200 {
			t.Fatalf("%s: %d\n%s", tc.path, r.Code, r.Body)
		}
		for _, want := range []string{
			`<h2 id="documents">Pièces</h2>`, "Pièce d’identité", tc.insurance, "Manquante", "Reçue, à vérifier", "La page 2 manque",
			`accept="application/pdf,image/jpeg,image/png"`, `enctype="multipart/form-data"`,
			`action="/coordinator/documents/` + tc.owner + `-id/upload?next=` + strings.ReplaceAll(tc.path, "/", "%2f") + `"`,
			`href="/documents/` + tc.owner + `-ins/file"`, "assurance.pdf, 48 ko",
			`action="/coordinator/documents/` + tc.owner + `-ins/verify"`, `name="seenInPerson"`, `name="expiryDate"`,
			`action="/coordinator/documents/` + tc.owner + `-ins/reject"`,
			`<label for="file-` + tc.owner + `-id">`, `<label for="reason-` + tc.owner + `-ins">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", tc.path, want)
			}
		}
		if !strings.Contains(body, `<span class="badge bad">Refusée</span>`) || !strings.Contains(body, `<span class="badge wait">Reçue, à vérifier</span>`) {
			t.Errorf("%s: the statuses' badges do not tell waiting from refused", tc.path)
		}
		// A missing document cannot be rejected: there is nothing to refuse yet.
		if strings.Contains(body, `/coordinator/documents/`+tc.owner+`-id/reject`) {
			t.Errorf("%s offers to reject a missing document", tc.path)
		}
	}
	c.SetLang(t, "en")
	r := c.Get(t, "/coordinator/hosts/h-1")
	for _, want := range []string{"Identity paper", "Home insurance", "Received, to verify", "Choose the file or take a photo", "Mark as verified", "Reject this document"} {
		if !strings.Contains(html.UnescapeString(r.Body), want) {
			t.Errorf("English host page lacks %q", want)
		}
	}
}

// An upload sends the file's bytes and the type read from them to the desk with the
// coordinator's token; a file of another type, or none, is refused next to its field
// without a call; a form without its CSRF token is refused.
func TestDocumentUploadFromTheCoordinatorsPage(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	r := c.PostFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", "carte.pdf", webapptest.TinyPDF, true)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/hosts/h-1#doc-h-1-id" {
		t.Fatalf("upload: %d %s\n%s", r.Code, r.Header.Get("Location"), r.Body)
	}
	calls := h.Be.Rec.Called("UploadDocument")
	if len(calls) != 1 {
		t.Fatalf("%d uploads", len(calls))
	}
	got := calls[0].Req.(*deskv1.UploadDocumentRequest)
	if got.GetId() != "h-1-id" || got.GetFileName() != "carte.pdf" || got.GetContentType() != "application/pdf" ||
		!bytes.Equal(got.GetContent(), webapptest.TinyPDF) || calls[0].Auth != "Bearer tok-coord" {
		t.Errorf("sent %v with %q", got, calls[0].Auth)
	}
	if r := c.Get(t, "/coordinator/hosts/h-1"); !strings.Contains(html.UnescapeString(r.Body), "La pièce est reçue.") {
		t.Errorf("no word that it worked")
	}

	for _, tc := range []struct{ name, file, reason, msg string }{
		{"a text file", "notes.pdf", "type", "Ce fichier n’est ni un PDF, ni un JPEG, ni un PNG"},
		{"no file", "", "empty", "Choisissez d’abord un fichier ou prenez une photo."},
	} {
		var content []byte
		if tc.file != "" {
			content = []byte("just some text, whatever the name says")
		}
		r := c.PostFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", tc.file, content, true)
		loc := r.Header.Get("Location")
		if r.Code != http.StatusSeeOther || !strings.Contains(loc, "uploadError="+tc.reason) || !strings.HasSuffix(loc, "#doc-h-1-id") {
			t.Fatalf("%s: %d %s", tc.name, r.Code, loc)
		}
		page := c.Get(t, loc)
		body := html.UnescapeString(page.Body)
		if !strings.Contains(body, `<p class="error-message" id="file-h-1-id-error">`) || !strings.Contains(body, tc.msg) ||
			!strings.Contains(body, `aria-describedby="file-h-1-id-hint file-h-1-id-error" aria-invalid="true"`) {
			t.Errorf("%s: the error is not next to the field\n%s", tc.name, page.Body)
		}
		// The other documents' fields stay as they were.
		if strings.Contains(body, `id="file-h-1-ins-error"`) {
			t.Errorf("%s: the error shows on another document", tc.name)
		}
	}
	// A file over 10 MiB is refused next to its field too, before the desk.
	big := append(append([]byte{}, webapptest.TinyPDF...), make([]byte, webapp.MaxUploadBytes)...)
	r = c.PostFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", "scan.pdf", big, true)
	if loc := r.Header.Get("Location"); r.Code != http.StatusSeeOther || !strings.Contains(loc, "uploadError=size") {
		t.Errorf("a file over 10 MiB: %d %s", r.Code, loc)
	}
	if n := len(h.Be.Rec.Called("UploadDocument")); n != 1 {
		t.Errorf("refused files reached the desk: %d uploads", n)
	}
	if r := c.PostFile(t, "/coordinator/documents/h-1-id/upload", "carte.pdf", webapptest.TinyPDF, false); r.Code != http.StatusForbidden {
		t.Errorf("upload without CSRF token: %d", r.Code)
	}
	// A host cannot use the coordinator's form, even for her own paper.
	hb := h.Browser(t)
	hb.Login(t, "jeanne@example.org")
	if r := hb.PostFile(t, "/coordinator/documents/h-1-id/upload", "carte.pdf", webapptest.TinyPDF, true); r.Code != http.StatusForbidden {
		t.Errorf("a host on the coordinator's upload: %d", r.Code)
	}
	if n := len(h.Be.Rec.Called("UploadDocument")); n != 1 {
		t.Errorf("%d uploads after the refusals", n)
	}
}

// Verify takes an expiry date (as a date input or typed DD/MM/YYYY) or "seen in person";
// reject needs its reason; neither is open to a host.
func TestDocumentVerifyAndReject(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	next := "/coordinator/hosts/h-1"
	r := c.Post(t, "/coordinator/documents/h-1-ins/verify", url.Values{"next": {next}, "expiryDate": {"31/12/2027"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != next+"#doc-h-1-ins" {
		t.Fatalf("verify: %d %s", r.Code, r.Header.Get("Location"))
	}
	r = c.Post(t, "/coordinator/documents/h-1-id/verify", url.Values{"next": {next}, "seenInPerson": {"on"}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("seen in person: %d", r.Code)
	}
	// A date that is not one is refused before the desk.
	c.Post(t, "/coordinator/documents/h-1-id/verify", url.Values{"next": {next}, "expiryDate": {"bientôt"}})
	v := h.Be.Rec.Called("VerifyDocument")
	if len(v) != 2 {
		t.Fatalf("%d verifications", len(v))
	}
	if a := v[0].Req.(*deskv1.VerifyDocumentRequest); a.GetId() != "h-1-ins" || a.GetExpiryDate() != "2027-12-31" || a.GetSeenInPerson() {
		t.Errorf("verify with expiry sent %v", a)
	}
	if b := v[1].Req.(*deskv1.VerifyDocumentRequest); b.GetId() != "h-1-id" || b.GetExpiryDate() != "" || !b.GetSeenInPerson() {
		t.Errorf("seen in person sent %v", b)
	}

	r = c.Post(t, "/coordinator/documents/h-1-ins/reject", url.Values{"next": {next}, "reason": {"  "}})
	if r.Code != http.StatusSeeOther {
		t.Fatalf("reject without reason: %d", r.Code)
	}
	if page := c.Get(t, next); !strings.Contains(html.UnescapeString(page.Body), "Dites pourquoi la pièce est refusée.") {
		t.Errorf("no word that the reason is needed")
	}
	c.Post(t, "/coordinator/documents/h-1-ins/reject", url.Values{"next": {next}, "reason": {"Illisible"}})
	rj := h.Be.Rec.Called("RejectDocument")
	if len(rj) != 1 || rj[0].Req.(*deskv1.RejectDocumentRequest).GetReason() != "Illisible" {
		t.Fatalf("rejections: %v", rj)
	}

	hb := h.Browser(t)
	hb.Login(t, "jeanne@example.org")
	for _, p := range []string{"/coordinator/documents/h-1-ins/verify", "/coordinator/documents/h-1-ins/reject"} {
		if r := hb.Post(t, p, url.Values{"reason": {"x"}, "seenInPerson": {"on"}}); r.Code != http.StatusForbidden {
			t.Errorf("host POST %s: %d", p, r.Code)
		}
	}
	if len(h.Be.Rec.Called("VerifyDocument")) != 2 || len(h.Be.Rec.Called("RejectDocument")) != 1 {
		t.Errorf("a host's form reached the desk")
	}
}

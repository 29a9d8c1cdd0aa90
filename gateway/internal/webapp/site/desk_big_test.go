package site

import (
	"net/http"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// A body past the upload routes' limit (11 MiB) is cut short: the form comes back with the
// reason next to the field, nothing reaches the desk.
func TestDocumentUploadPastTheBodyLimit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	c := h.browser(t)
	c.login(t, "coordinator@example.org")
	huge := append(append([]byte{}, tinyPDF...), make([]byte, webapp.MaxUploadBody+1<<20)...)
	r := c.postFile(t, "/coordinator/documents/h-1-id/upload?next=/coordinator/hosts/h-1", "scan.pdf", huge, true)
	if loc := r.header.Get("Location"); r.code != http.StatusSeeOther || !strings.Contains(loc, "uploadError=size") || !strings.HasPrefix(loc, "/coordinator/hosts/h-1?") {
		t.Errorf("a 12 MiB body: %d %s", r.code, loc)
	}
	if n := len(h.be.rec.called("UploadDocument")); n != 0 {
		t.Errorf("%d uploads", n)
	}
}

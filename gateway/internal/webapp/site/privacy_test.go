package site_test

import (
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"
)

// The coordinator downloads a host's data from her page, and a host her own from home: the
// same ZIP as the REST API's, gathered with the signed-in person's token. Nobody else gets it.
func TestPersonalDataExport(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	h.App.Conns = webapptest.ExportConns(t)

	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	page := c.Get(t, "/coordinator/hosts/h-1")
	if !strings.Contains(page.Body, `href="/coordinator/hosts/h-1/export"`) {
		t.Fatal("the host's page has no download of her data")
	}
	r := c.Get(t, "/coordinator/hosts/h-1/export")
	if r.Code != 200 || r.Header.Get("Content-Type") != "application/zip" || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("export: %d %q %q", r.Code, r.Header.Get("Content-Type"), r.Header.Get("Cache-Control"))
	}
	files := webapptest.ZipFiles(t, r.Body)
	for _, name := range []string{"export.json", "hosts.json", "students.json", "identity.json"} {
		if !strings.Contains(files[name], "h-1") {
			t.Errorf("%s does not hold h-1's part: %q", name, files[name])
		}
	}
	if !strings.Contains(files["hosts.json"], "Bearer tok-coord") {
		t.Errorf("the export was not asked with the coordinator's token: %s", files["hosts.json"])
	}
	if r := c.Get(t, "/coordinator/hosts/h-9/export"); r.Code != 404 {
		t.Errorf("export of an unknown host: %d", r.Code)
	}

	jeanne := h.Browser(t)
	jeanne.Login(t, "jeanne@example.org")
	if home := jeanne.Get(t, "/host"); !strings.Contains(home.Body, `href="/me/export"`) {
		t.Error("the host's home has no download of her own data")
	}
	r = jeanne.Get(t, "/me/export")
	if r.Code != 200 {
		t.Fatalf("her own export: %d", r.Code)
	}
	if f := webapptest.ZipFiles(t, r.Body)["hosts.json"]; !strings.Contains(f, `"person":"h-1"`) || !strings.Contains(f, "PERSON_KIND_HOST") {
		t.Errorf("her own export is not hers: %s", f)
	}
	if r := jeanne.Get(t, "/coordinator/hosts/h-1/export"); r.Code != 403 {
		t.Errorf("a host reaching the coordinator's export: %d", r.Code)
	}
	if r := h.Browser(t).Get(t, "/me/export"); r.Code != 303 {
		t.Errorf("anonymous export: %d, want the sign-in redirect", r.Code)
	}
}

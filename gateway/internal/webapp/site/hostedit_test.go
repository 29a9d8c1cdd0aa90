package site

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"google.golang.org/protobuf/encoding/prototext"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// The coordinator corrects an assisted host's record (a senior calls with a new number):
// the form comes filled from it; the save sends every field with the etag read; a change
// made meanwhile is a 409 that keeps her edits; a bad postcode shows next to its field.
func TestCoordinatorEditsAHost(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/hosts/h-1")
	if !strings.Contains(r.body, `href="/coordinator/hosts/h-1/edit"`) {
		t.Error("no link to edit the record from the host's page")
	}
	r = b.get(t, "/coordinator/hosts/h-1/edit")
	if r.code != http.StatusOK {
		t.Fatalf("edit page: %d", r.code)
	}
	doc, _ := html.Parse(strings.NewReader(r.body))
	for id, want := range map[string]string{"f-displayName": "Jeanne Martin", "f-phone": "+33 6 12 34 56 78", "f-postcode": "69002", "f-languages": "fr, it"} {
		if el := find(doc, id); el == nil || attr(el, "value") != want {
			t.Errorf("%s is not filled with %q", id, want)
		}
	}
	if !strings.Contains(r.body, `name="etag" value="7"`) {
		t.Error("the form does not carry the etag read")
	}

	form := webapp.HostValues(hostJeanne)
	form.Set("phone", "04 78 11 22 33")
	r = b.post(t, "/coordinator/hosts/h-1/edit", form)
	if r.code != http.StatusSeeOther || r.header.Get("Location") != "/coordinator/hosts/h-1" {
		t.Fatalf("save: %d to %q", r.code, r.header.Get("Location"))
	}
	calls := h.be.rec.called("UpdateHost")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateHost calls", len(calls))
	}
	req := calls[0].req.(*hostsv1.UpdateHostRequest)
	if req.GetHost().GetId() != "h-1" || req.GetHost().GetEtag() != "7" || req.GetHost().GetPhone() != "04 78 11 22 33" ||
		req.GetHost().GetAddress().GetLat() != 45.7578 || len(req.GetHost().GetServicesWanted()) != 2 || calls[0].auth != "Bearer tok-coord" {
		t.Errorf("UpdateHost: %v (auth %q)", req, calls[0].auth)
	}
	if paths := strings.Join(req.GetUpdateMask().GetPaths(), ","); !strings.Contains(paths, "address") || !strings.Contains(paths, "services_wanted") {
		t.Errorf("update mask %q", paths)
	}

	form.Set("etag", "6")
	r = b.post(t, "/coordinator/hosts/h-1/edit", form)
	if r.code != http.StatusConflict || !strings.Contains(r.body, "Quelqu’un a modifié cette fiche") ||
		!strings.Contains(r.body, `value="04 78 11 22 33"`) || !strings.Contains(r.body, `name="etag" value="7"`) {
		t.Errorf("stale save: %d, or the conflict, the edits or the new etag are missing", r.code)
	}

	form.Set("etag", "7")
	form.Set("postcode", "690")
	r = b.post(t, "/coordinator/hosts/h-1/edit", form)
	doc, _ = html.Parse(strings.NewReader(r.body))
	if r.code != http.StatusBadRequest || find(doc, "f-postcode-error") == nil {
		t.Errorf("bad postcode: %d, error next to the field: %v", r.code, find(doc, "f-postcode-error") != nil)
	}

	for _, who := range []string{"jeanne@example.org", "lea@example.org", "admin@example.org"} {
		o := h.browser(t)
		o.login(t, who)
		if r := o.get(t, "/coordinator/hosts/h-1/edit"); r.code != http.StatusForbidden {
			t.Errorf("%s GET edit: %d", who, r.code)
		}
		if r := o.post(t, "/coordinator/hosts/h-1/edit", url.Values{"etag": {"7"}}); r.code != http.StatusForbidden {
			t.Errorf("%s POST edit: %d", who, r.code)
		}
	}
	if n := len(h.be.rec.called("UpdateHost")); n != 3 {
		t.Errorf("%d UpdateHost calls, want the coordinator's 3", n)
	}
}

// A host and a student correct their own details: the form is theirs (found from their
// account, never from the address), saved with their own token, back to their home.
func TestPeopleEditTheirOwnDetails(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	for _, c := range []struct {
		who, home, method, name, field, value string
	}{
		{"lea@example.org", "/student", "UpdateStudent", "Léa Bernard", "phone", "07 00 00 00 01"},
		{"jeanne@example.org", "/host", "UpdateHost", "Jeanne Martin", "phone", "04 78 00 00 02"},
	} {
		b := h.browser(t)
		b.login(t, c.who)
		r := b.get(t, c.home)
		if !strings.Contains(r.body, `href="`+c.home+`/profile/edit"`) {
			t.Errorf("%s: no link to edit from the home page", c.who)
		}
		r = b.get(t, c.home+"/profile/edit")
		doc, _ := html.Parse(strings.NewReader(r.body))
		if el := find(doc, "f-displayName"); r.code != http.StatusOK || el == nil || attr(el, "value") != c.name {
			t.Fatalf("%s: edit page %d, not filled with %q", c.who, r.code, c.name)
		}
		form := url.Values{}
		for _, in := range []string{"displayName", "birthDate", "phone", "email", "line1", "postcode", "city", "studyCity", "etag", "languages"} {
			if el := find(doc, "f-"+in); el != nil {
				form.Set(in, attr(el, "value"))
			}
		}
		form.Set("etag", map[string]string{"/student": "", "/host": "7"}[c.home])
		form.Set(c.field, c.value)
		r = b.post(t, c.home+"/profile/edit", form)
		if r.code != http.StatusSeeOther || r.header.Get("Location") != c.home {
			t.Fatalf("%s: save %d to %q\n%s", c.who, r.code, r.header.Get("Location"), r.body)
		}
		calls := h.be.rec.called(c.method)
		if len(calls) != 1 || calls[0].auth != "Bearer "+map[string]string{"/student": "tok-student", "/host": "tok-host"}[c.home] ||
			!strings.Contains(prototext.Format(calls[0].req), c.value) {
			t.Errorf("%s: %s calls %v", c.who, c.method, calls)
		}
	}
	coord := h.browser(t)
	coord.login(t, "coordinator@example.org")
	for _, path := range []string{"/student/profile/edit", "/host/profile/edit"} {
		if r := coord.get(t, path); r.code != http.StatusForbidden {
			t.Errorf("coordinator GET %s: %d", path, r.code)
		}
	}
}

// A coordinator suspends a host (with why), archives one, and archives a student; each
// refusal of the services is said in the flash; nobody else reaches these actions.
func TestLifecycleActions(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")

	r := b.get(t, "/coordinator/hosts/h-1")
	for _, s := range []string{`action="/coordinator/hosts/h-1/suspend"`, `action="/coordinator/hosts/h-1/archive"`} {
		if !strings.Contains(r.body, s) {
			t.Errorf("verified host's page lacks %s", s)
		}
	}
	if r := b.get(t, "/coordinator/hosts/h-2"); strings.Contains(r.body, "/suspend") || strings.Contains(r.body, "/archive") {
		t.Error("a pending host offers suspension or archiving")
	}
	for _, c := range []struct {
		path   string
		form   url.Values
		method string
		flash  string
	}{
		{"/coordinator/hosts/h-1/suspend", url.Values{"reason": {" "}}, "SuspendHost", "flash-error"},
		{"/coordinator/hosts/h-1/suspend", url.Values{"reason": {"Hospitalisée deux mois"}}, "SuspendHost", "L’hôte est suspendu."},
		{"/coordinator/hosts/h-1/reinstate", url.Values{}, "ReinstateHost", "pas possible à cette étape"},
		{"/coordinator/hosts/h-1/archive", url.Values{}, "ArchiveHost", "L’hôte est archivé."},
		{"/coordinator/students/s-1/archive", url.Values{}, "ArchiveStudent", "Une demande de chambre est déjà ouverte"},
		{"/coordinator/students/s-3/archive", url.Values{}, "ArchiveStudent", "L’étudiant est archivé."},
	} {
		back := c.path[:strings.LastIndex(c.path, "/")]
		c.form.Set("next", back)
		r := b.post(t, c.path, c.form)
		if r.code != 303 || r.header.Get("Location") != back {
			t.Errorf("%s: %d to %q", c.path, r.code, r.header.Get("Location"))
			continue
		}
		if page := b.get(t, back); !strings.Contains(page.body, c.flash) {
			t.Errorf("%s: the page after does not say %q", c.path, c.flash)
		}
	}
	if calls := h.be.rec.called("SuspendHost"); len(calls) != 2 || calls[1].req.(*hostsv1.SuspendHostRequest).GetReason() != "Hospitalisée deux mois" {
		t.Errorf("SuspendHost calls: %v", calls)
	}
	for _, who := range []string{"jeanne@example.org", "lea@example.org"} {
		o := h.browser(t)
		o.login(t, who)
		for _, path := range []string{"/coordinator/hosts/h-1/suspend", "/coordinator/hosts/h-1/archive", "/coordinator/students/s-1/archive"} {
			if r := o.post(t, path, url.Values{"reason": {"x"}}); r.code != 403 {
				t.Errorf("%s POST %s: %d", who, path, r.code)
			}
		}
	}
	if n := len(h.be.rec.called("ArchiveHost")); n != 1 {
		t.Errorf("%d ArchiveHost calls, want the coordinator's 1", n)
	}
}

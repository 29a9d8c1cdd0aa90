package coordinator_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// The coordinator corrects an assisted host's record (a senior calls with a new number):
// the form comes filled from it; the save sends every field with the etag read; a change
// made meanwhile is a 409 that keeps her edits; a bad postcode shows next to its field.
func TestCoordinatorEditsAHost(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/hosts/h-1")
	if !strings.Contains(r.Body, `href="/coordinator/hosts/h-1/edit"`) {
		t.Error("no link to edit the record from the host's page")
	}
	r = b.Get(t, "/coordinator/hosts/h-1/edit")
	if r.Code != http.StatusOK {
		t.Fatalf("edit page: %d", r.Code)
	}
	doc, _ := html.Parse(strings.NewReader(r.Body))
	for id, want := range map[string]string{"f-displayName": "Jeanne Martin", "f-phone": "+33 6 12 34 56 78", "f-postcode": "69002", "f-languages": "fr, it"} {
		if el := webapptest.Find(doc, id); el == nil || webapptest.Attr(el, "value") != want {
			t.Errorf("%s is not filled with %q", id, want)
		}
	}
	if !strings.Contains(r.Body, `name="etag" value="7"`) {
		t.Error("the form does not carry the etag read")
	}

	form := webapp.HostValues(webapptest.HostJeanne)
	form.Set("phone", "04 78 11 22 33")
	r = b.Post(t, "/coordinator/hosts/h-1/edit", form)
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/hosts/h-1" {
		t.Fatalf("save: %d to %q", r.Code, r.Header.Get("Location"))
	}
	calls := h.Be.Rec.Called("UpdateHost")
	if len(calls) != 1 {
		t.Fatalf("%d UpdateHost calls", len(calls))
	}
	req := calls[0].Req.(*hostsv1.UpdateHostRequest)
	if req.GetHost().GetId() != "h-1" || req.GetHost().GetEtag() != "7" || req.GetHost().GetPhone() != "04 78 11 22 33" ||
		req.GetHost().GetAddress().GetLat() != 45.7578 || len(req.GetHost().GetServicesWanted()) != 2 || calls[0].Auth != "Bearer tok-coord" {
		t.Errorf("UpdateHost: %v (auth %q)", req, calls[0].Auth)
	}
	if paths := strings.Join(req.GetUpdateMask().GetPaths(), ","); !strings.Contains(paths, "address") || !strings.Contains(paths, "services_wanted") {
		t.Errorf("update mask %q", paths)
	}

	form.Set("etag", "6")
	r = b.Post(t, "/coordinator/hosts/h-1/edit", form)
	if r.Code != http.StatusConflict || !strings.Contains(r.Body, "Quelqu’un a modifié cette fiche") ||
		!strings.Contains(r.Body, `value="04 78 11 22 33"`) || !strings.Contains(r.Body, `name="etag" value="7"`) {
		t.Errorf("stale save: %d, or the conflict, the edits or the new etag are missing", r.Code)
	}

	form.Set("etag", "7")
	form.Set("postcode", "690")
	r = b.Post(t, "/coordinator/hosts/h-1/edit", form)
	doc, _ = html.Parse(strings.NewReader(r.Body))
	if r.Code != http.StatusBadRequest || webapptest.Find(doc, "f-postcode-error") == nil {
		t.Errorf("bad postcode: %d, error next to the field: %v", r.Code, webapptest.Find(doc, "f-postcode-error") != nil)
	}

	for _, who := range []string{"jeanne@example.org", "lea@example.org", "admin@example.org"} {
		o := h.Browser(t)
		o.Login(t, who)
		if r := o.Get(t, "/coordinator/hosts/h-1/edit"); r.Code != http.StatusForbidden {
			t.Errorf("%s GET edit: %d", who, r.Code)
		}
		if r := o.Post(t, "/coordinator/hosts/h-1/edit", url.Values{"etag": {"7"}}); r.Code != http.StatusForbidden {
			t.Errorf("%s POST edit: %d", who, r.Code)
		}
	}
	if n := len(h.Be.Rec.Called("UpdateHost")); n != 3 {
		t.Errorf("%d UpdateHost calls, want the coordinator's 3", n)
	}
}

// A coordinator suspends a host (with why), archives one, and archives a student; each
// refusal of the services is said in the flash; nobody else reaches these actions.
func TestLifecycleActions(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")

	r := b.Get(t, "/coordinator/hosts/h-1")
	for _, s := range []string{`action="/coordinator/hosts/h-1/suspend"`, `action="/coordinator/hosts/h-1/archive"`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("verified host's page lacks %s", s)
		}
	}
	if r := b.Get(t, "/coordinator/hosts/h-2"); strings.Contains(r.Body, "/suspend") || strings.Contains(r.Body, "/archive") {
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
		r := b.Post(t, c.path, c.form)
		if r.Code != 303 || r.Header.Get("Location") != back {
			t.Errorf("%s: %d to %q", c.path, r.Code, r.Header.Get("Location"))
			continue
		}
		if page := b.Get(t, back); !strings.Contains(page.Body, c.flash) {
			t.Errorf("%s: the page after does not say %q", c.path, c.flash)
		}
	}
	if calls := h.Be.Rec.Called("SuspendHost"); len(calls) != 2 || calls[1].Req.(*hostsv1.SuspendHostRequest).GetReason() != "Hospitalisée deux mois" {
		t.Errorf("SuspendHost calls: %v", calls)
	}
	for _, who := range []string{"jeanne@example.org", "lea@example.org"} {
		o := h.Browser(t)
		o.Login(t, who)
		for _, path := range []string{"/coordinator/hosts/h-1/suspend", "/coordinator/hosts/h-1/archive", "/coordinator/students/s-1/archive"} {
			if r := o.Post(t, path, url.Values{"reason": {"x"}}); r.Code != 403 {
				t.Errorf("%s POST %s: %d", who, path, r.Code)
			}
		}
	}
	if n := len(h.Be.Rec.Called("ArchiveHost")); n != 1 {
		t.Errorf("%d ArchiveHost calls, want the coordinator's 1", n)
	}
}

func TestFieldViolationsShowNextToTheirFields(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Post(t, "/coordinator/hosts", url.Values{
		"displayName": {"Odette Roux"}, "line1": {"3 place Bellecour"}, "postcode": {"6900"}, "city": {"Lyon"}, "phone": {"0612345678"},
	})
	if r.Code != http.StatusBadRequest {
		t.Fatalf("code %d", r.Code)
	}
	doc, _ := html.Parse(strings.NewReader(r.Body))
	for field, msg := range map[string]string{
		"f-postcode":        "Indiquez un code postal de 5 chiffres.",
		"f-consentRecorded": "Cochez cette case une fois le consentement de la personne recueilli",
	} {
		in := webapptest.Find(doc, field)
		if in == nil {
			t.Fatalf("no input #%s", field)
		}
		if webapptest.Attr(in, "aria-invalid") != "true" || !strings.Contains(webapptest.Attr(in, "aria-describedby"), field+"-error") {
			t.Errorf("#%s: aria-invalid=%q aria-describedby=%q", field, webapptest.Attr(in, "aria-invalid"), webapptest.Attr(in, "aria-describedby"))
		}
		e := webapptest.Find(doc, field+"-error")
		if e == nil || !strings.Contains(webapptest.Text(e), msg) {
			t.Errorf("#%s-error missing or wrong: %v", field, e)
			continue
		}
		// The message sits in the field's own block, next to the input.
		if e.Parent != in.Parent {
			t.Errorf("#%s-error is not next to its input", field)
		}
	}
	// The summary at the top links to each field.
	for _, href := range []string{`href="#f-postcode"`, `href="#f-consentRecorded"`} {
		if !strings.Contains(r.Body, href) {
			t.Errorf("error summary lacks %s", href)
		}
	}
	// The form keeps what was typed.
	if in := webapptest.Find(doc, "f-displayName"); webapptest.Attr(in, "value") != "Odette Roux" {
		t.Errorf("displayName value = %q", webapptest.Attr(in, "value"))
	}
	// No coordinates typed: none are sent (the hosts service places the address at its
	// commune's centre, marked approximate; a town centre guessed here would hide which).
	calls := h.Be.Rec.Called("CreateHost")
	if len(calls) != 1 {
		t.Fatalf("CreateHost calls = %d", len(calls))
	}
	sent := calls[0].Req.(*hostsv1.CreateHostRequest).GetHost()
	if !sent.GetAssisted() || sent.GetAddress().GetLat() != 0 || sent.GetAddress().GetLng() != 0 {
		t.Errorf("sent host: assisted=%v lat=%v", sent.GetAssisted(), sent.GetAddress().GetLat())
	}
	if p := webapptest.CheckAccessibility(r.Body); len(p) > 0 {
		t.Errorf("form with errors: %v", p)
	}

	// Fixed, it goes to the new host's page with a message.
	r = b.Post(t, "/coordinator/hosts", url.Values{
		"displayName": {"Odette Roux"}, "line1": {"3 place Bellecour"}, "postcode": {"69002"}, "city": {"Lyon"},
		"phone": {"0612345678"}, "consentRecorded": {"on"}, "servicesWanted": {"SERVICE_COMPANY", "SERVICE_MEALS"},
	})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/hosts/h-new" {
		t.Fatalf("fixed form: %d to %q\n%s", r.Code, r.Header.Get("Location"), r.Body)
	}
	sent = h.Be.Rec.Called("CreateHost")[1].Req.(*hostsv1.CreateHostRequest).GetHost()
	if !sent.GetConsentRecorded() || len(sent.GetServicesWanted()) != 2 {
		t.Errorf("sent host: consent=%v services=%v", sent.GetConsentRecorded(), sent.GetServicesWanted())
	}
}

func TestActionRefusalIsFlashed(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Post(t, "/coordinator/hosts/h-3/verify", url.Values{"next": {"/coordinator/hosts"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/hosts" {
		t.Fatalf("%d to %q", r.Code, r.Header.Get("Location"))
	}
	r = b.Get(t, "/coordinator/hosts")
	// The refusal in the page's language, from its reason; never the service's English.
	if !strings.Contains(r.Body, "l’âge minimum du programme") || strings.Contains(r.Body, "at least 60") {
		t.Errorf("no refusal message:\n%s", r.Body)
	}
	// Shown once.
	if r := b.Get(t, "/coordinator/hosts"); strings.Contains(r.Body, "l’âge minimum") {
		t.Error("flash shown twice")
	}
}

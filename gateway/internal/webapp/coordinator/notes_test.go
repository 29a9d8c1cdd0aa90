package coordinator_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// The notes box and the timeline (newest first, as the desk gives it) are on the host's,
// student's and match's pages for the coordinator; writing and correcting reach the desk.
func TestNotesAndTimeline(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	for _, p := range []string{"/coordinator/hosts/h-1", "/coordinator/students/s-1", "/coordinator/matches/m-1", "/coordinator/contracts/c-1"} {
		r := c.Get(t, p)
		body := html.UnescapeString(r.Body)
		if r.Code != 200 {
			t.Fatalf("%s: %d", p, r.Code)
		}
		for _, want := range []string{`<h2 id="notes">Notes</h2>`, `<label for="note-new">Nouvelle note</label>`, "Préfère être appelée le mardi matin.",
			"corrigée", `<h2 id="timeline">Historique</h2>`, "Inscription", `name="etag" value="e-7"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s lacks %q", p, want)
			}
		}
		if strings.Index(body, "Inscription") < strings.Index(body, `<ol class="timeline">`) {
			t.Errorf("%s: the timeline is out of place", p)
		}
	}
	r := c.Post(t, "/coordinator/notes", url.Values{"subjectId": {"m-1"}, "subjectType": {"SUBJECT_TYPE_MATCH"}, "body": {"Rencontre chaleureuse."}, "next": {"/coordinator/matches/m-1"}})
	if r.Code != http.StatusSeeOther || r.Header.Get("Location") != "/coordinator/matches/m-1#notes" {
		t.Fatalf("note: %d %s", r.Code, r.Header.Get("Location"))
	}
	cn := h.Be.Rec.Called("CreateNote")
	if len(cn) != 1 {
		t.Fatalf("%d notes", len(cn))
	}
	if n := cn[0].Req.(*deskv1.CreateNoteRequest); n.GetSubjectId() != "m-1" || n.GetSubjectType() != deskv1.SubjectType_SUBJECT_TYPE_MATCH || n.GetBody() != "Rencontre chaleureuse." {
		t.Errorf("note sent %v", n)
	}
	c.Post(t, "/coordinator/notes", url.Values{"subjectId": {"m-1"}, "body": {" "}})
	if len(h.Be.Rec.Called("CreateNote")) != 1 {
		t.Errorf("an empty note reached the desk")
	}
	c.Post(t, "/coordinator/notes/note-1", url.Values{"body": {"Préfère le mercredi."}, "etag": {"e-7"}, "next": {"/coordinator/hosts/h-1"}})
	un := h.Be.Rec.Called("UpdateNote")
	if len(un) != 1 || un[0].Req.(*deskv1.UpdateNoteRequest).GetEtag() != "e-7" || un[0].Req.(*deskv1.UpdateNoteRequest).GetBody() != "Préfère le mercredi." {
		t.Fatalf("corrections: %v", un)
	}
	hb := h.Browser(t)
	hb.Login(t, "jeanne@example.org")
	if r := hb.Post(t, "/coordinator/notes", url.Values{"subjectId": {"h-1"}, "body": {"x"}}); r.Code != http.StatusForbidden {
		t.Errorf("host writes a note: %d", r.Code)
	}
}

package site_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"google.golang.org/protobuf/encoding/prototext"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"
)

// A host and a student correct their own details: the form is theirs (found from their
// account, never from the address), saved with their own token, back to their home.
func TestPeopleEditTheirOwnDetails(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	for _, c := range []struct {
		who, home, method, name, field, value string
	}{
		{"lea@example.org", "/student", "UpdateStudent", "Léa Bernard", "phone", "07 00 00 00 01"},
		{"jeanne@example.org", "/host", "UpdateHost", "Jeanne Martin", "phone", "04 78 00 00 02"},
	} {
		b := h.Browser(t)
		b.Login(t, c.who)
		r := b.Get(t, c.home)
		if !strings.Contains(r.Body, `href="`+c.home+`/profile/edit"`) {
			t.Errorf("%s: no link to edit from the home page", c.who)
		}
		r = b.Get(t, c.home+"/profile/edit")
		doc, _ := html.Parse(strings.NewReader(r.Body))
		if el := webapptest.Find(doc, "f-displayName"); r.Code != http.StatusOK || el == nil || webapptest.Attr(el, "value") != c.name {
			t.Fatalf("%s: edit page %d, not filled with %q", c.who, r.Code, c.name)
		}
		form := url.Values{}
		for _, in := range []string{"displayName", "birthDate", "phone", "email", "line1", "postcode", "city", "studyCity", "etag", "languages"} {
			if el := webapptest.Find(doc, "f-"+in); el != nil {
				form.Set(in, webapptest.Attr(el, "value"))
			}
		}
		form.Set("etag", map[string]string{"/student": "", "/host": "7"}[c.home])
		form.Set(c.field, c.value)
		r = b.Post(t, c.home+"/profile/edit", form)
		if r.Code != http.StatusSeeOther || r.Header.Get("Location") != c.home {
			t.Fatalf("%s: save %d to %q\n%s", c.who, r.Code, r.Header.Get("Location"), r.Body)
		}
		calls := h.Be.Rec.Called(c.method)
		if len(calls) != 1 || calls[0].Auth != "Bearer "+map[string]string{"/student": "tok-student", "/host": "tok-host"}[c.home] ||
			!strings.Contains(prototext.Format(calls[0].Req), c.value) {
			t.Errorf("%s: %s calls %v", c.who, c.method, calls)
		}
	}
	coord := h.Browser(t)
	coord.Login(t, "coordinator@example.org")
	for _, path := range []string{"/student/profile/edit", "/host/profile/edit"} {
		if r := coord.Get(t, path); r.Code != http.StatusForbidden {
			t.Errorf("coordinator GET %s: %d", path, r.Code)
		}
	}
}

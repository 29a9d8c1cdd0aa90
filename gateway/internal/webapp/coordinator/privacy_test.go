package coordinator_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// Erasure asks for a reason and a ticked box before any service is asked; the service's
// refusal is said on the page; once erased, the coordinator is back on the list.
func TestErasureFromThePersonsPage(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	c := h.Browser(t)
	c.Login(t, "coordinator@example.org")
	if page := c.Get(t, "/coordinator/students/s-1"); !strings.Contains(page.Body, `action="/coordinator/students/s-1/erase"`) {
		t.Fatal("the student's page has no erasure form")
	}
	for _, form := range []url.Values{{"reason": {"À sa demande"}}, {"confirm": {"on"}}, {"reason": {" "}, "confirm": {"on"}}} {
		r := c.Post(t, "/coordinator/hosts/h-2/erase", form)
		if r.Code != 303 || r.Header.Get("Location") != "/coordinator/hosts/h-2" {
			t.Fatalf("unconfirmed erasure: %d to %q", r.Code, r.Header.Get("Location"))
		}
		if page := c.Get(t, "/coordinator/hosts/h-2"); !strings.Contains(page.Body, "Rien n’a été effacé") {
			t.Error("the page does not say nothing was erased")
		}
	}
	if n := len(h.Be.Rec.Called("EraseHost")); n != 0 {
		t.Fatalf("%d EraseHost calls for unconfirmed forms", n)
	}

	r := c.Post(t, "/coordinator/hosts/h-1/erase", url.Values{"reason": {"À sa demande"}, "confirm": {"on"}})
	if r.Code != 303 || r.Header.Get("Location") != "/coordinator/hosts/h-1" {
		t.Fatalf("refused erasure: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if page := c.Get(t, "/coordinator/hosts/h-1"); !strings.Contains(page.Body, "séjour est en cours") {
		t.Error("the refusal is not said on the host's page")
	}

	r = c.Post(t, "/coordinator/students/s-3/erase", url.Values{"reason": {"Retrait du consentement"}, "confirm": {"on"}})
	if r.Code != 303 || r.Header.Get("Location") != "/coordinator/students" {
		t.Fatalf("erasure: %d to %q", r.Code, r.Header.Get("Location"))
	}
	if page := c.Get(t, "/coordinator/students"); !strings.Contains(page.Body, "Les données de la personne sont effacées.") {
		t.Error("the list does not say the person was erased")
	}
	calls := h.Be.Rec.Called("EraseStudent")
	if len(calls) != 1 || calls[0].Req.(*studentsv1.EraseStudentRequest).GetReason() != "Retrait du consentement" || calls[0].Req.(*studentsv1.EraseStudentRequest).GetId() != "s-3" {
		t.Errorf("EraseStudent calls: %v", calls)
	}

	for _, who := range []string{"jeanne@example.org", "lea@example.org"} {
		o := h.Browser(t)
		o.Login(t, who)
		for _, path := range []string{"/coordinator/hosts/h-2/erase", "/coordinator/students/s-3/erase"} {
			if r := o.Post(t, path, url.Values{"reason": {"x"}, "confirm": {"on"}}); r.Code != 403 {
				t.Errorf("%s POST %s: %d", who, path, r.Code)
			}
		}
	}
	if n := len(h.Be.Rec.Called("EraseStudent")); n != 1 {
		t.Errorf("%d EraseStudent calls, want the coordinator's 1", n)
	}
}

package coordinator_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

// Finding 9: the incidents page counts what it shows under the state it shows (resolved ones
// are not "open"), and each incident names its pair, with links to the host and the student.
func TestIncidentsAreCountedByTheirStateAndNameTheirPair(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Get(t, "/coordinator/incidents?status=INCIDENT_STATUS_RESOLVED")
	if !strings.Contains(r.Body, "Incidents résolus, par gravité") || strings.Contains(r.Body, "ouverts par gravité") {
		t.Error("resolved incidents are counted as open")
	}
	for _, s := range []string{`href="/coordinator/hosts/h-1">Jeanne Martin</a>`, `href="/coordinator/students/s-1">Léa Bernard</a>`} {
		if !strings.Contains(r.Body, s) {
			t.Errorf("the incident does not name its pair: %q", s)
		}
	}
	r = b.Get(t, "/coordinator/incidents")
	if !strings.Contains(r.Body, "Incidents non résolus, par gravité") || !strings.Contains(r.Body, `href="/coordinator/students/s-1">Léa Bernard</a>`) {
		t.Error("unresolved incidents: caption or pair missing")
	}
	if r := b.Get(t, "/coordinator"); !strings.Contains(r.Body, `href="/coordinator/hosts/h-1">Jeanne Martin</a> · <a href="/coordinator/students/s-1">Léa Bernard</a>`) {
		t.Error("the dashboard's incidents do not name their pair")
	}
}

func TestIncidentsBySeverityMediateResolve(t *testing.T) {
	t.Parallel()
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Get(t, "/coordinator/incidents")
	// Unresolved by default, the most severe first.
	if i1, i2, i3 := strings.Index(r.Body, "Chute dans"), strings.Index(r.Body, "Bruit le soir"), strings.Index(r.Body, "Horaires de repas"); !(i1 > 0 && i1 < i2 && i1 < i3) || strings.Contains(r.Body, "Clés perdues") {
		t.Errorf("order or filter wrong")
	}
	if strings.Count(r.Body, "/mediate\"") != 2 || strings.Count(r.Body, "/resolve\"") != 3 {
		t.Errorf("actions: %d mediate, %d resolve", strings.Count(r.Body, "/mediate\""), strings.Count(r.Body, "/resolve\""))
	}
	if r := b.Get(t, "/coordinator/incidents?status=INCIDENT_STATUS_RESOLVED"); !strings.Contains(r.Body, "Clés perdues") || !strings.Contains(r.Body, "ODD_CODE") || strings.Contains(r.Body, "/resolve\"") {
		t.Error("resolved list")
	}
	b.Post(t, "/coordinator/incidents/i-1/mediate", url.Values{"next": {"/coordinator/incidents"}})
	if c := h.Be.Rec.Called("MediateIncident"); len(c) != 1 || c[0].Req.(*contractsv1.MediateIncidentRequest).GetId() != "i-1" {
		t.Errorf("MediateIncident: %v", c)
	}
	b.Post(t, "/coordinator/incidents/i-1/resolve", url.Values{"resolution": {" "}})
	if len(h.Be.Rec.Called("ResolveIncident")) != 0 {
		t.Error("resolved without a resolution")
	}
	if r := b.Get(t, "/coordinator/incidents"); !strings.Contains(r.Body, "Dites comment l’incident a été résolu.") {
		t.Error("no message for a missing resolution")
	}
	b.Post(t, "/coordinator/incidents/i-1/resolve", url.Values{"resolution": {"Rampe posée"}})
	if c := h.Be.Rec.Called("ResolveIncident"); len(c) != 1 || c[0].Req.(*contractsv1.ResolveIncidentRequest).GetResolution() != "Rampe posée" {
		t.Errorf("ResolveIncident: %v", c)
	}
	if r := b.Get(t, "/coordinator/incidents"); !strings.Contains(r.Body, "L’incident est clos.") {
		t.Error("no confirmation")
	}
}

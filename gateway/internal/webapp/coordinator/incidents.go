package coordinator

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

type incidentsData struct {
	Incidents []*contractsv1.Incident
	// Pairs are the incidents' contracts, by id: each incident names its host and student.
	Pairs map[string]*contractsv1.Contract
	// BySeverity counts the incidents shown, in the state the filter chose (its caption says
	// which: unresolved by default, resolved ones only when asked).
	BySeverity []severityCount
	Status     string
	More       bool
}

// bySeverity counts incidents by severity, the most severe first.
func bySeverity(list []*contractsv1.Incident) []severityCount {
	var out []severityCount
	for _, s := range []contractsv1.Severity{contractsv1.Severity_SEVERITY_CRITICAL, contractsv1.Severity_SEVERITY_HIGH, contractsv1.Severity_SEVERITY_MEDIUM, contractsv1.Severity_SEVERITY_LOW} {
		n := 0
		for _, in := range list {
			if in.GetSeverity() == s {
				n++
			}
		}
		out = append(out, severityCount{s, n})
	}
	return out
}

// incidents lists the incidents, the most severe first: open and in mediation unless a
// status is chosen.
func (a *app) incidents(w http.ResponseWriter, r *http.Request) {
	st := contractsv1.IncidentStatus(contractsv1.IncidentStatus_value[r.URL.Query().Get("status")])
	ctx, cancel := a.Call(r)
	defer cancel()
	var d incidentsData
	statuses := []contractsv1.IncidentStatus{st}
	if st == contractsv1.IncidentStatus_INCIDENT_STATUS_UNSPECIFIED {
		statuses = []contractsv1.IncidentStatus{contractsv1.IncidentStatus_INCIDENT_STATUS_OPEN, contractsv1.IncidentStatus_INCIDENT_STATUS_IN_MEDIATION}
	} else {
		d.Status = st.String()
	}
	lists := make([][]*contractsv1.Incident, len(statuses))
	more := make([]bool, len(statuses))
	fns := make([]func() error, len(statuses))
	for i, s := range statuses {
		fns[i] = func() error {
			res, err := a.Svc.Contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: webapp.ListSize, Status: s})
			lists[i], more[i] = res.GetIncidents(), res.GetNextPageToken() != ""
			return err
		}
	}
	if err := webapp.Parallel(fns...); err != nil {
		a.Fail(w, r, err)
		return
	}
	for i := range lists {
		d.Incidents = append(d.Incidents, lists[i]...)
		d.More = d.More || more[i]
	}
	slices.SortStableFunc(d.Incidents, func(x, y *contractsv1.Incident) int {
		if x.GetSeverity() != y.GetSeverity() {
			return int(y.GetSeverity()) - int(x.GetSeverity())
		}
		return x.GetCreateTime().AsTime().Compare(y.GetCreateTime().AsTime())
	})
	d.BySeverity = bySeverity(d.Incidents)
	pairs, err := a.contractsOf(ctx, incidentContracts(d.Incidents))
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d.Pairs = pairs
	p := a.NewPage(w, r, "incidents.title", d)
	p.Nav = "incidents"
	p.Form = webapp.NewForm(webapp.FormSpec{{Name: "status", Label: "incidents.filter.status"}}, url.Values{"status": {d.Status}})
	a.Render(w, r, http.StatusOK, "coord_incidents", p)
}

func (a *app) incidentMediate(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Contracts.MediateIncident(ctx, &contractsv1.MediateIncidentRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "incident.mediating", "/coordinator/incidents")
}

func (a *app) incidentResolve(w http.ResponseWriter, r *http.Request) {
	resolution := strings.TrimSpace(r.PostFormValue("resolution"))
	if resolution == "" {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "incident.resolve.needResolution"})
		webapp.Redirect(w, r, webapp.LocalPath(r.PostFormValue("next"), "/coordinator/incidents"))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Contracts.ResolveIncident(ctx, &contractsv1.ResolveIncidentRequest{Id: r.PathValue("id"), Resolution: resolution})
	a.AfterAction(w, r, err, "incident.resolved", "/coordinator/incidents")
}

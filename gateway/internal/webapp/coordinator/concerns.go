package coordinator

import (
	"context"
	"net/http"
	"net/url"
	"slices"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

// contractsOf fetches the contracts of ids (each once, at the same time), so that a list of
// incidents or check-ins names each pair and links to its host and student. A contract the
// coordinator can no longer read is left out (its row says only what it holds); other
// failures fail the page.
func (a *app) contractsOf(ctx context.Context, ids []string) (map[string]*contractsv1.Contract, error) {
	slices.Sort(ids)
	ids = slices.Compact(ids)
	got := make([]*contractsv1.Contract, len(ids))
	fns := make([]func() error, len(ids))
	for i, id := range ids {
		fns[i] = func() error {
			c, err := a.Svc.Contracts.GetContract(ctx, &contractsv1.GetContractRequest{Id: id})
			if _, _, refused := a.ActionError(err); err != nil && !refused {
				return err
			}
			got[i] = c
			return nil
		}
	}
	if err := webapp.Parallel(fns...); err != nil {
		return nil, err
	}
	out := make(map[string]*contractsv1.Contract, len(ids))
	for _, c := range got {
		if c != nil {
			out[c.GetId()] = c
		}
	}
	return out, nil
}

func incidentContracts(list []*contractsv1.Incident) []string {
	ids := make([]string, 0, len(list))
	for _, in := range list {
		ids = append(ids, in.GetContractId())
	}
	return ids
}

// A concern is a check-in completed with "something worries me" ticked. It stays on the
// coordinator's dashboard until handled, and it is handled when an incident was opened on
// its contract since the check-in was done (from the check-in's page, or otherwise): the
// incident then carries the follow-up (mediation, resolution) on the incidents page. No field
// of the contracts service marks a concern handled; this rule reads only what is there.
func openConcerns(done []*contractsv1.Checkin, incidents []*contractsv1.Incident) []*contractsv1.Checkin {
	var out []*contractsv1.Checkin
	for _, c := range done {
		if !c.GetConcern() {
			continue
		}
		handled := slices.ContainsFunc(incidents, func(in *contractsv1.Incident) bool {
			return in.GetContractId() == c.GetContractId() && !in.GetCreateTime().AsTime().Before(c.GetDoneTime().AsTime())
		})
		if !handled {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(x, y *contractsv1.Checkin) int { return x.GetDoneTime().AsTime().Compare(y.GetDoneTime().AsTime()) })
	return out
}

// concerns lists the programme's open concerns: the check-ins done with a concern, less
// those an incident answered since.
func (a *app) concerns(ctx context.Context) ([]*contractsv1.Checkin, bool, error) {
	var done []*contractsv1.Checkin
	var incidents []*contractsv1.Incident
	more := false
	err := webapp.Parallel(
		func() error {
			res, err := a.Svc.Contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: webapp.ListSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_DONE})
			done, more = res.GetCheckins(), res.GetNextPageToken() != ""
			return err
		},
		func() error {
			// Every incident, whatever its state: one resolved since still answered the concern.
			res, err := a.Svc.Contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: webapp.ListSize})
			incidents = res.GetIncidents()
			return err
		},
	)
	if err != nil {
		return nil, false, err
	}
	return openConcerns(done, incidents), more, nil
}

// concernSpec is the form opening an incident from a check-in's concern.
var concernSpec = webapp.FormSpec{
	{Name: "severity", Label: "incident.severity", API: "severity"},
	{Name: "description", Label: "concern.description", API: "description"},
}

// checkinIncident opens an incident on the check-in's contract, from its concern: the
// coordinator writes what the parties may read (a check-in's notes are health-related and
// stay the coordinators'), and the concern leaves the dashboard.
func (a *app) checkinIncident(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(concernSpec, r.PostForm)
	f.Require("description")
	sev := contractsv1.Severity(contractsv1.Severity_value[f.Value("severity")])
	if sev == contractsv1.Severity_SEVERITY_UNSPECIFIED {
		f.FieldError("severity", "form.error.required", "")
	}
	c, ok := a.findCheckin(w, r, r.PostFormValue("contract"))
	if !ok {
		return
	}
	if f.OK() {
		ctx, cancel := a.Call(r)
		_, err := a.Svc.Contracts.CreateIncident(ctx, &contractsv1.CreateIncidentRequest{
			ContractId: c.GetContractId(), Severity: sev, Category: "OTHER", Description: f.Value("description"), RequestId: f.Value("requestId"),
		})
		cancel()
		if err == nil {
			webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "concern.opened"})
			webapp.Redirect(w, r, "/coordinator/incidents")
			return
		}
		if !a.FormRefused(w, r, f, err, checkinURL(c)) {
			return
		}
	}
	a.renderCheckinPage(w, r, http.StatusBadRequest, c, f)
}

// concernValues are the defaults of the form opening an incident from a concern.
func concernValues() url.Values {
	return url.Values{"severity": {"SEVERITY_MEDIUM"}, "requestId": {webapp.NewToken()}}
}

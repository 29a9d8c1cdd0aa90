package webapp

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

type checkinsData struct {
	// Overdue: due before today, not yet marked missed; Today: due today; Upcoming: later;
	// Missed: marked missed by the daily job.
	Overdue, Today, Upcoming, Missed []*contractsv1.Checkin
	More                             bool
}

// checkins is the agenda of follow-ups: overdue, due today, missed, upcoming.
func (a *App) checkins(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	var due, missed []*contractsv1.Checkin
	var d checkinsData
	err := parallel(
		func() error {
			res, err := a.svc.contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: listSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_DUE})
			due = res.GetCheckins()
			d.More = d.More || res.GetNextPageToken() != ""
			return err
		},
		func() error {
			res, err := a.svc.contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: listSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED})
			missed = res.GetCheckins()
			return err
		},
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	today := a.today().Format(time.DateOnly)
	slices.SortStableFunc(due, func(x, y *contractsv1.Checkin) int { return strings.Compare(x.GetDueDate(), y.GetDueDate()) })
	for _, c := range due {
		switch {
		case c.GetDueDate() < today:
			d.Overdue = append(d.Overdue, c)
		case c.GetDueDate() == today:
			d.Today = append(d.Today, c)
		default:
			d.Upcoming = append(d.Upcoming, c)
		}
	}
	d.Missed = missed
	p := a.newPage(w, r, "checkins.title", d)
	p.Nav = "checkins"
	a.render(w, r, http.StatusOK, "coord_checkins", p)
}

// checkinSpec is the form recording a check-in.
var checkinSpec = formSpec{
	{Name: "method", Label: "checkin.method", API: "method"},
	{Name: "hostWellbeing", Label: "checkin.hostWellbeing", API: "hostWellbeing"},
	{Name: "studentWellbeing", Label: "checkin.studentWellbeing", API: "studentWellbeing"},
	{Name: "notes", Label: "checkin.notes", API: "notes"},
	{Name: "concern", Label: "checkin.concernBox", API: "concern"},
}

type checkinPageData struct {
	Checkin *contractsv1.Checkin
	// ConcernOpen: done with a concern that no incident has answered yet.
	ConcernOpen bool
}

func checkinURL(c *contractsv1.Checkin) string {
	return "/coordinator/checkins/" + url.PathEscape(c.GetId()) + "?contract=" + url.QueryEscape(c.GetContractId())
}

// findCheckin reads a check-in from its contract's agenda (the API lists, it has no get).
func (a *App) findCheckin(r *http.Request, id, contractID string) (*contractsv1.Checkin, error) {
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: listSize, ContractId: contractID})
	if err != nil {
		return nil, err
	}
	for _, c := range res.GetCheckins() {
		if c.GetId() == id {
			return c, nil
		}
	}
	return nil, nil
}

func (a *App) renderCheckin(w http.ResponseWriter, r *http.Request, status int, f *form) {
	contractID := r.URL.Query().Get("contract")
	if contractID == "" {
		contractID = r.PostFormValue("contract")
	}
	c, err := a.findCheckin(r, r.PathValue("id"), contractID)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	if c == nil {
		a.notFound(w, r)
		return
	}
	if c.GetStatus() == contractsv1.CheckinStatus_CHECKIN_STATUS_DONE {
		// What was recorded, and for a concern the form opening an incident from it.
		f = newForm(concernSpec, concernValues())
	}
	a.renderCheckinPage(w, r, status, c, f)
}

// renderCheckinPage renders a check-in: the form completing it while it is due or missed;
// once done, what was recorded (method, wellbeing, notes, concern: the programme's
// coordinators only, as every page under /coordinator) and, for a concern not yet answered
// by an incident, the form opening one. f is the page's one form.
func (a *App) renderCheckinPage(w http.ResponseWriter, r *http.Request, status int, c *contractsv1.Checkin, f *form) {
	d := checkinPageData{Checkin: c}
	if c.GetConcern() {
		ctx, cancel := a.call(r)
		res, err := a.svc.contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: listSize})
		cancel()
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.ConcernOpen = len(openConcerns([]*contractsv1.Checkin{c}, res.GetIncidents())) == 1
	}
	p := a.newPage(w, r, "checkin.title", d)
	p.Title = p.L.T("checkin.titleOf", "host", c.GetHostDisplayName(), "student", c.GetStudentDisplayName())
	p.Nav = "checkins"
	p.Path = checkinURL(c)
	p.Form = f
	a.render(w, r, status, "coord_checkin", p)
}

func (a *App) checkinPage(w http.ResponseWriter, r *http.Request) {
	a.renderCheckin(w, r, http.StatusOK, newForm(checkinSpec, url.Values{"method": {"CHECKIN_METHOD_PHONE"}}))
}

func (a *App) checkinComplete(w http.ResponseWriter, r *http.Request) {
	f := newForm(checkinSpec, r.PostForm)
	method := contractsv1.CheckinMethod(contractsv1.CheckinMethod_value[f.Value("method")])
	wellbeing := func(name string) int32 {
		n, err := strconv.Atoi(f.Value(name))
		if err != nil || n < 1 || n > 5 {
			f.fieldError(name, "checkin.error.wellbeing", "")
		}
		return int32(n)
	}
	req := &contractsv1.CompleteCheckinRequest{
		Id: r.PathValue("id"), Method: method, HostWellbeing: wellbeing("hostWellbeing"), StudentWellbeing: wellbeing("studentWellbeing"),
		Notes: f.Value("notes"), Concern: f.Checked("concern"),
	}
	if method == contractsv1.CheckinMethod_CHECKIN_METHOD_UNSPECIFIED {
		f.fieldError("method", "form.error.required", "")
	}
	if f.ok() {
		ctx, cancel := a.call(r)
		_, err := a.svc.contracts.CompleteCheckin(ctx, req)
		cancel()
		if err == nil {
			setFlash(w, r, flash{Kind: "ok", Key: "checkin.done"})
			redirect(w, r, "/coordinator/checkins")
			return
		}
		st := stateOf(r.Context())
		if !f.fromStatus(err, a.Cat.Loc(st.lang, a.TZ)) {
			a.afterAction(w, r, err, "", "/coordinator/checkins")
			return
		}
	}
	a.renderCheckin(w, r, http.StatusBadRequest, f)
}

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
func (a *App) incidents(w http.ResponseWriter, r *http.Request) {
	st := contractsv1.IncidentStatus(contractsv1.IncidentStatus_value[r.URL.Query().Get("status")])
	ctx, cancel := a.call(r)
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
			res, err := a.svc.contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: listSize, Status: s})
			lists[i], more[i] = res.GetIncidents(), res.GetNextPageToken() != ""
			return err
		}
	}
	if err := parallel(fns...); err != nil {
		a.fail(w, r, err)
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
		a.fail(w, r, err)
		return
	}
	d.Pairs = pairs
	p := a.newPage(w, r, "incidents.title", d)
	p.Nav = "incidents"
	p.Form = newForm(formSpec{{Name: "status", Label: "incidents.filter.status"}}, url.Values{"status": {d.Status}})
	a.render(w, r, http.StatusOK, "coord_incidents", p)
}

func (a *App) incidentMediate(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.contracts.MediateIncident(ctx, &contractsv1.MediateIncidentRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "incident.mediating", "/coordinator/incidents")
}

func (a *App) incidentResolve(w http.ResponseWriter, r *http.Request) {
	resolution := strings.TrimSpace(r.PostFormValue("resolution"))
	if resolution == "" {
		setFlash(w, r, flash{Kind: "error", Key: "incident.resolve.needResolution"})
		redirect(w, r, LocalPath(r.PostFormValue("next"), "/coordinator/incidents"))
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.contracts.ResolveIncident(ctx, &contractsv1.ResolveIncidentRequest{Id: r.PathValue("id"), Resolution: resolution})
	a.afterAction(w, r, err, "incident.resolved", "/coordinator/incidents")
}

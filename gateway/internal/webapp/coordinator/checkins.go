package coordinator

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

type checkinsData struct {
	// Overdue: due before today, not yet marked missed; Today: due today; Upcoming: later;
	// Missed: marked missed by the daily job.
	Overdue, Today, Upcoming, Missed []*contractsv1.Checkin
	More                             bool
}

// checkins is the agenda of follow-ups: overdue, due today, missed, upcoming.
func (a *app) checkins(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	var due, missed []*contractsv1.Checkin
	var d checkinsData
	err := webapp.Parallel(
		func() error {
			res, err := a.Svc.Contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: webapp.ListSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_DUE})
			due = res.GetCheckins()
			d.More = d.More || res.GetNextPageToken() != ""
			return err
		},
		func() error {
			res, err := a.Svc.Contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: webapp.ListSize, Status: contractsv1.CheckinStatus_CHECKIN_STATUS_MISSED})
			missed = res.GetCheckins()
			return err
		},
	)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	today := a.Today().Format(time.DateOnly)
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
	p := a.NewPage(w, r, "checkins.title", d)
	p.Nav = "checkins"
	a.Render(w, r, http.StatusOK, "coord_checkins", p)
}

// checkinSpec is the form recording a check-in.
var checkinSpec = webapp.FormSpec{
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

// findCheckin reads the check-in named in the address from its contract's agenda (the API
// lists, it has no get). Not found, or the service failing, it answers the page: false.
func (a *app) findCheckin(w http.ResponseWriter, r *http.Request, contractID string) (*contractsv1.Checkin, bool) {
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Contracts.ListCheckins(ctx, &contractsv1.ListCheckinsRequest{PageSize: webapp.ListSize, ContractId: contractID})
	if err != nil {
		a.Fail(w, r, err)
		return nil, false
	}
	for _, c := range res.GetCheckins() {
		if c.GetId() == r.PathValue("id") {
			return c, true
		}
	}
	a.NotFound(w, r)
	return nil, false
}

func (a *app) renderCheckin(w http.ResponseWriter, r *http.Request, status int, f *webapp.Form) {
	contractID := r.URL.Query().Get("contract")
	if contractID == "" {
		contractID = r.PostFormValue("contract")
	}
	c, ok := a.findCheckin(w, r, contractID)
	if !ok {
		return
	}
	if c.GetStatus() == contractsv1.CheckinStatus_CHECKIN_STATUS_DONE {
		// What was recorded, and for a concern the form opening an incident from it.
		f = webapp.NewForm(concernSpec, concernValues())
	}
	a.renderCheckinPage(w, r, status, c, f)
}

// renderCheckinPage renders a check-in: the form completing it while it is due or missed;
// once done, what was recorded (method, wellbeing, notes, concern: the programme's
// coordinators only, as every page under /coordinator) and, for a concern not yet answered
// by an incident, the form opening one. f is the page's one form.
func (a *app) renderCheckinPage(w http.ResponseWriter, r *http.Request, status int, c *contractsv1.Checkin, f *webapp.Form) {
	d := checkinPageData{Checkin: c}
	if c.GetConcern() {
		ctx, cancel := a.Call(r)
		res, err := a.Svc.Contracts.ListIncidents(ctx, &contractsv1.ListIncidentsRequest{PageSize: webapp.ListSize})
		cancel()
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d.ConcernOpen = len(openConcerns([]*contractsv1.Checkin{c}, res.GetIncidents())) == 1
	}
	p := a.NewPage(w, r, "checkin.title", d)
	p.Title = p.L.T("checkin.titleOf", "host", c.GetHostDisplayName(), "student", c.GetStudentDisplayName())
	p.Nav = "checkins"
	p.Path = checkinURL(c)
	p.Form = f
	a.Render(w, r, status, "coord_checkin", p)
}

func (a *app) checkinPage(w http.ResponseWriter, r *http.Request) {
	a.renderCheckin(w, r, http.StatusOK, webapp.NewForm(checkinSpec, url.Values{"method": {"CHECKIN_METHOD_PHONE"}}))
}

func (a *app) checkinComplete(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(checkinSpec, r.PostForm)
	method := contractsv1.CheckinMethod(contractsv1.CheckinMethod_value[f.Value("method")])
	wellbeing := func(name string) int32 {
		n, err := strconv.Atoi(f.Value(name))
		if err != nil || n < 1 || n > 5 {
			f.FieldError(name, "checkin.error.wellbeing", "")
		}
		return int32(n)
	}
	req := &contractsv1.CompleteCheckinRequest{
		Id: r.PathValue("id"), Method: method, HostWellbeing: wellbeing("hostWellbeing"), StudentWellbeing: wellbeing("studentWellbeing"),
		Notes: f.Value("notes"), Concern: f.Checked("concern"),
	}
	if method == contractsv1.CheckinMethod_CHECKIN_METHOD_UNSPECIFIED {
		f.FieldError("method", "form.error.required", "")
	}
	if f.OK() {
		ctx, cancel := a.Call(r)
		_, err := a.Svc.Contracts.CompleteCheckin(ctx, req)
		cancel()
		if err == nil {
			webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "checkin.done"})
			webapp.Redirect(w, r, "/coordinator/checkins")
			return
		}
		if !a.FormRefused(w, r, f, err, "/coordinator/checkins") {
			return
		}
	}
	a.renderCheckin(w, r, http.StatusBadRequest, f)
}

package webapp

import (
	"net/http"
	"net/url"
	"strings"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// incidentSpec is the form reporting a problem during a stay.
var incidentSpec = FormSpec{
	{Name: "severity", Label: "incident.severity", API: "severity"},
	{Name: "category", Label: "incident.category", API: "category"},
	{Name: "description", Label: "incident.description", API: "description"},
}

type incidentPageData struct {
	Contract *contractsv1.Contract
	// Home is the reporter's home page ("/student", "/host"); Other names the other party.
	Home, Other string
}

// reporterHome is the home page of who reports a problem: a student or a host.
func reporterHome(r *http.Request) string {
	if StateOf(r.Context()).Me.GetRole() == typev1.Role_ROLE_HOST {
		return "/host"
	}
	return "/student"
}

func (a *App) renderIncident(w http.ResponseWriter, r *http.Request, status int, f *Form) {
	ctx, cancel := a.Call(r)
	defer cancel()
	c, err := a.Svc.Contracts.GetContract(ctx, &contractsv1.GetContractRequest{Id: r.PathValue("id")})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d := incidentPageData{Contract: c, Home: reporterHome(r), Other: c.GetHostDisplayName()}
	if d.Home == "/host" {
		d.Other = c.GetStudentDisplayName()
	}
	p := a.NewPage(w, r, "incident.title", d)
	p.Nav = "home"
	p.Path = d.Home + "/contracts/" + url.PathEscape(c.GetId()) + "/incident"
	p.Form = f
	a.Render(w, r, status, "student_incident", p)
}

// incidentPage is "report a problem", for the student (phone-sized) or the host (large type).
func (a *App) incidentPage(w http.ResponseWriter, r *http.Request) {
	a.renderIncident(w, r, http.StatusOK, NewForm(incidentSpec, url.Values{"severity": {"SEVERITY_LOW"}, "category": {"OTHER"}, "requestId": {NewToken()}}))
}

// incidentCreate reports an incident on a contract of the host or the student who signs in.
func (a *App) incidentCreate(w http.ResponseWriter, r *http.Request) {
	f := NewForm(incidentSpec, r.PostForm)
	f.Require("description")
	sev := contractsv1.Severity(contractsv1.Severity_value[f.Value("severity")])
	if sev == contractsv1.Severity_SEVERITY_UNSPECIFIED {
		f.FieldError("severity", "form.error.required", "")
	}
	if !f.OK() {
		a.renderIncident(w, r, http.StatusBadRequest, f)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Contracts.CreateIncident(ctx, &contractsv1.CreateIncidentRequest{
		ContractId: r.PathValue("id"), Severity: sev, Category: f.Value("category"), Description: f.Value("description"), RequestId: f.Value("requestId"),
	})
	if err != nil {
		if a.FormRefused(w, r, f, err, reporterHome(r)) {
			a.renderIncident(w, r, http.StatusBadRequest, f)
		}
		return
	}
	SetFlash(w, r, Flash{Kind: "ok", Key: "incident.reported"})
	Redirect(w, r, reporterHome(r))
}

// Category names an incident's category code ("NOISE"); a code the pages do not know shows
// as it is.
func (l *Loc) Category(code string) string {
	return l.Optional("incident.category."+strings.ToLower(code), code)
}

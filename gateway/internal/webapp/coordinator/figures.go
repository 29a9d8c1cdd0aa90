package coordinator

import (
	"fmt"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// programmeFigures asks for the signed-in coordinator's programme's figures of the period in
// the query; a period the service refuses gives the default one, and says so.
func (a *app) programmeFigures(r *http.Request) (*figuresv1.ProgrammeFigures, bool, error) {
	if a.Svc.Figures == nil {
		return nil, false, webapp.ErrNoFigures
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	req := &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: webapp.StateOf(r.Context()).Me.GetProgrammeId(), From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	f, err := a.Svc.Figures.GetProgrammeFigures(ctx, req)
	if status.Code(err) == codes.InvalidArgument {
		req.From, req.To = "", ""
		f, err = a.Svc.Figures.GetProgrammeFigures(ctx, req)
		return f, true, err
	}
	return f, false, err
}

// figures shows the coordinator her programme's figures.
func (a *app) figures(w http.ResponseWriter, r *http.Request) {
	f, invalid, err := a.programmeFigures(r)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	p := a.NewPage(w, r, "figures.title", nil)
	p.Nav = "figures"
	l := p.L
	d := webapp.FiguresPage{Form: webapp.PeriodForm{Action: "/coordinator/figures", CSV: "/coordinator/figures.csv", Period: webapp.PeriodOf(f), Invalid: invalid}}
	for _, row := range webapp.FigureRows(l) {
		d.Rows = append(d.Rows, webapp.ValueRow{Label: l.T(row.Key), Value: row.Value(f)})
	}
	for _, rc := range f.GetEarlyTerminationReasons() {
		d.Reasons = append(d.Reasons, webapp.ValueRow{Label: l.Optional("figures.reason."+rc.GetReason(), rc.GetReason()), Value: l.Int(int(rc.GetCount()))})
	}
	d.Charts = webapp.FigureCharts(l, f)
	p.Data = d
	status := http.StatusOK
	if invalid {
		status = http.StatusBadRequest
	}
	a.Render(w, r, status, "coord_figures", p)
}

// figuresCSV downloads the coordinator's figures as the REST API's CSV.
func (a *app) figuresCSV(w http.ResponseWriter, r *http.Request) {
	f, invalid, err := a.programmeFigures(r)
	if err == nil && invalid {
		err = status.Error(codes.InvalidArgument, "bad period")
	}
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	webapp.WriteCSV(w, fmt.Sprintf("figures-%s-%s.csv", f.GetFrom(), f.GetTo()), f)
}

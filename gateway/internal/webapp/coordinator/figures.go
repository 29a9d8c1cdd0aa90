package coordinator

import (
	"context"
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// figuresPage is what coord_figures shows.
type figuresPage struct {
	Form    webapp.PeriodForm
	Rows    []valueRow
	Charts  []chart
	Reasons []valueRow
}

// valueRow is one line of a table of figures: its label and its formatted value.
type valueRow struct{ Label, Value string }

// programmeFigures asks for the signed-in coordinator's programme's figures of the period in
// the query (webapp.PeriodFigures).
func (a *app) programmeFigures(r *http.Request) (*figuresv1.ProgrammeFigures, bool, error) {
	return webapp.PeriodFigures(a.App, r, func(ctx context.Context, from, to string) (*figuresv1.ProgrammeFigures, error) {
		return a.Svc.Figures.GetProgrammeFigures(ctx, &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: webapp.StateOf(r.Context()).Me.GetProgrammeId(), From: from, To: to})
	})
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
	d := figuresPage{Form: webapp.PeriodForm{Action: "/coordinator/figures", CSV: "/coordinator/figures.csv", Period: webapp.PeriodOf(f), Invalid: invalid}}
	for _, row := range webapp.FigureRows(l) {
		d.Rows = append(d.Rows, valueRow{Label: l.T(row.Key), Value: row.Value(f)})
	}
	for _, rc := range f.GetEarlyTerminationReasons() {
		d.Reasons = append(d.Reasons, valueRow{Label: l.Optional("figures.reason."+rc.GetReason(), rc.GetReason()), Value: l.Int(int(rc.GetCount()))})
	}
	d.Charts = figureCharts(l, f)
	p.Data = d
	a.Render(w, r, d.Form.Status(), "coord_figures", p)
}

// figuresCSV downloads the coordinator's figures as the REST API's CSV.
func (a *app) figuresCSV(w http.ResponseWriter, r *http.Request) {
	f, invalid, err := a.programmeFigures(r)
	a.FiguresCSV(w, r, err, invalid, "figures", f)
}

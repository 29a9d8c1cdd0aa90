package admin

import (
	"context"
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// networkPage is what admin_figures shows: one column per programme, the network's first.
type networkPage struct {
	Form    webapp.PeriodForm
	Columns []string
	Rows    []networkRow
}

type networkRow struct {
	Label  string
	Values []string
}

// networkFigures asks for the network's and every programme's figures of the period in the
// query (webapp.PeriodFigures).
func (a *app) networkFigures(r *http.Request) (*figuresv1.NetworkFigures, bool, error) {
	return webapp.PeriodFigures(a.App, r, func(ctx context.Context, from, to string) (*figuresv1.NetworkFigures, error) {
		return a.Svc.Figures.GetNetworkFigures(ctx, &figuresv1.GetNetworkFiguresRequest{From: from, To: to})
	})
}

// adminFigures shows the network's administrator every programme's figures side by side.
func (a *app) adminFigures(w http.ResponseWriter, r *http.Request) {
	n, invalid, err := a.networkFigures(r)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	p := a.NewPage(w, r, "adminFigures.title", nil)
	l := p.L
	all := append([]*figuresv1.ProgrammeFigures{n.GetNetwork()}, n.GetProgrammes()...)
	d := networkPage{Form: webapp.PeriodForm{Action: "/admin/figures", CSV: "/admin/figures.csv", Period: webapp.PeriodOf(n.GetNetwork()), Invalid: invalid},
		Columns: []string{l.T("adminFigures.network")}}
	for _, pf := range n.GetProgrammes() {
		name := pf.GetName()
		if name == "" {
			name = pf.GetProgrammeId()
		}
		d.Columns = append(d.Columns, name)
	}
	for _, row := range webapp.FigureRows(l) {
		nr := networkRow{Label: l.T(row.Key)}
		for _, f := range all {
			nr.Values = append(nr.Values, row.Value(f))
		}
		d.Rows = append(d.Rows, nr)
	}
	p.Data = d
	a.Render(w, r, d.Form.Status(), "admin_figures", p)
}

// adminFiguresCSV downloads the network's and every programme's figures.
func (a *app) adminFiguresCSV(w http.ResponseWriter, r *http.Request) {
	n, invalid, err := a.networkFigures(r)
	a.FiguresCSV(w, r, err, invalid, "figures-network", append([]*figuresv1.ProgrammeFigures{n.GetNetwork()}, n.GetProgrammes()...)...)
}

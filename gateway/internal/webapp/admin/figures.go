package admin

import (
	"fmt"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

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

func (a *app) networkFigures(r *http.Request) (*figuresv1.NetworkFigures, bool, error) {
	if a.Svc.Figures == nil {
		return nil, false, webapp.ErrNoFigures
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	req := &figuresv1.GetNetworkFiguresRequest{From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	n, err := a.Svc.Figures.GetNetworkFigures(ctx, req)
	if status.Code(err) == codes.InvalidArgument {
		n, err = a.Svc.Figures.GetNetworkFigures(ctx, &figuresv1.GetNetworkFiguresRequest{})
		return n, true, err
	}
	return n, false, err
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
	status := http.StatusOK
	if invalid {
		status = http.StatusBadRequest
	}
	a.Render(w, r, status, "admin_figures", p)
}

// adminFiguresCSV downloads the network's and every programme's figures.
func (a *app) adminFiguresCSV(w http.ResponseWriter, r *http.Request) {
	n, invalid, err := a.networkFigures(r)
	if err == nil && invalid {
		err = status.Error(codes.InvalidArgument, "bad period")
	}
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	f := n.GetNetwork()
	webapp.WriteCSV(w, fmt.Sprintf("figures-network-%s-%s.csv", f.GetFrom(), f.GetTo()), append([]*figuresv1.ProgrammeFigures{f}, n.GetProgrammes()...)...)
}

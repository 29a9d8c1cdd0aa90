package site

import (
	"context"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// fakeFigures answers the demo programme's figures to its coordinator and the network's to
// the admin, as the figures service's rules say; a bad period is refused.
type fakeFigures struct {
	figuresv1.UnimplementedFiguresServiceServer
}

func bearer(ctx context.Context) string {
	md, _ := metadata.FromIncomingContext(ctx)
	if v := md.Get("authorization"); len(v) > 0 {
		return v[0]
	}
	return ""
}

func demoFigures(from, to string) *figuresv1.ProgrammeFigures {
	f := &figuresv1.ProgrammeFigures{ProgrammeId: "demo", Name: "Cohabit Démo — Lyon", From: from, To: to,
		HostsRegistered: 12, StudentsRegistered: 30, StaysStarted: 7, StaysEnded: 3, StaysUnderWay: 5, AverageStayDays: 181.5,
		EarlyTerminations: 2, EarlyTerminationReasons: []*figuresv1.ReasonCount{{Reason: "REQUESTED_BY_STUDENT", Count: 2}}}
	for _, m := range []string{"2026-01", "2026-02", "2026-03"} {
		f.Months = append(f.Months, &figuresv1.MonthFigures{Month: m, StaysUnderWay: 4, StaysStarted: 2, StaysEnded: 1,
			EarlyTerminations: 1, EarlyTerminationReasons: []*figuresv1.ReasonCount{{Reason: "REQUESTED_BY_STUDENT", Count: 1}}})
	}
	return f
}

func (fakeFigures) GetProgrammeFigures(ctx context.Context, req *figuresv1.GetProgrammeFiguresRequest) (*figuresv1.ProgrammeFigures, error) {
	if bearer(ctx) != "Bearer tok-coord" || req.GetProgrammeId() != "demo" {
		return nil, status.Error(codes.NotFound, "no such programme")
	}
	if req.GetFrom() == "" && req.GetTo() == "" {
		return demoFigures("2026-01-01", "2026-03-31"), nil
	}
	if req.GetFrom() > req.GetTo() {
		return nil, status.Error(codes.InvalidArgument, "to before from")
	}
	return demoFigures(req.GetFrom(), req.GetTo()), nil
}

func (fakeFigures) GetNetworkFigures(ctx context.Context, req *figuresv1.GetNetworkFiguresRequest) (*figuresv1.NetworkFigures, error) {
	if bearer(ctx) != "Bearer tok-admin" {
		return nil, status.Error(codes.PermissionDenied, "admin only")
	}
	other := &figuresv1.ProgrammeFigures{ProgrammeId: "nantes", Name: "Cohabit Nantes", From: "2026-01-01", To: "2026-03-31", HostsRegistered: 4}
	return &figuresv1.NetworkFigures{Network: &figuresv1.ProgrammeFigures{From: "2026-01-01", To: "2026-03-31", HostsRegistered: 16},
		Programmes: []*figuresv1.ProgrammeFigures{demoFigures("2026-01-01", "2026-03-31"), other}}, nil
}

// TestFiguresPage: the coordinator's figures page shows the period's numbers and four charts
// drawn as SVG, each an image with a title and a description and a data table beside it, in
// French and in English, with no script; its CSV is the REST API's; a bad period falls back to
// the default one with a 400 that says so.
func TestFiguresPage(t *testing.T) {
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	r := b.get(t, "/coordinator/figures?from=2026-01-01&to=2026-03-31")
	if r.code != http.StatusOK {
		t.Fatalf("figures: %d\n%s", r.code, r.body)
	}
	for _, want := range []string{
		"<h1>Chiffres</h1>", `aria-current="page">Chiffres`, "Cohabitations commencées", "<td>7</td>", "181,5",
		"À la demande du jeune", `role="img" aria-labelledby="chart-under-way-t chart-under-way-d"`,
		`<title id="chart-started-ended-t">Cohabitations commencées et terminées, par mois</title>`,
		"<caption>Fins anticipées par motif, par mois</caption>", `<th scope="row">02/2026</th>`,
		`href="/coordinator/figures.csv?from=2026-01-01&amp;to=2026-03-31"`,
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(r.body, "<svg "); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
	if strings.Contains(r.body, "<script>") || strings.Contains(r.body, "style=") {
		t.Error("the charts need a script or an inline style")
	}
	b.setLang(t, "en")
	if en := b.get(t, "/coordinator/figures"); en.code != 200 || !strings.Contains(en.body, "Stays started and ended, by month") || !strings.Contains(en.body, "At the student’s request") {
		t.Fatalf("English: %d", en.code)
	}

	c := b.get(t, "/coordinator/figures.csv?from=2026-01-01&to=2026-03-31")
	rows, err := csv.NewReader(strings.NewReader(c.body)).ReadAll()
	if c.code != 200 || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") || err != nil || len(rows) != 5 ||
		rows[1][4] != "all" || rows[1][11] != "7" || rows[1][19] != "REQUESTED_BY_STUDENT=2" {
		t.Fatalf("CSV: %d %v %v", c.code, err, rows)
	}

	bad := b.get(t, "/coordinator/figures?from=2026-05-01&to=2026-04-01")
	if bad.code != http.StatusBadRequest || !strings.Contains(bad.body, `role="alert"`) || !strings.Contains(bad.body, `value="2026-01-01"`) {
		t.Fatalf("a bad period: %d", bad.code)
	}
}

// TestNetworkFiguresPage: the admin sees the network's column and one per programme, by
// name; a coordinator may not open it, nor an admin the coordinator's page.
func TestNetworkFiguresPage(t *testing.T) {
	h := newHarness(t)
	admin := h.browser(t)
	admin.login(t, "admin@example.org")
	r := admin.get(t, "/admin/figures")
	if r.code != 200 {
		t.Fatalf("network: %d\n%s", r.code, r.body)
	}
	for _, want := range []string{"<th scope=\"col\">Réseau entier</th>", "<th scope=\"col\">Cohabit Démo — Lyon</th>", "<th scope=\"col\">Cohabit Nantes</th>", "<td>16</td>"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the network page lacks %q", want)
		}
	}
	if home := admin.get(t, "/admin"); !strings.Contains(home.body, `href="/admin/figures"`) {
		t.Error("the admin's page does not link to the network's figures")
	}
	c := admin.get(t, "/admin/figures.csv")
	if rows, err := csv.NewReader(strings.NewReader(c.body)).ReadAll(); c.code != 200 || err != nil || len(rows) != 1+1+4+1 {
		t.Fatalf("network CSV: %d %v %d rows", c.code, err, len(rows))
	}
	if code := admin.get(t, "/coordinator/figures").code; code != http.StatusForbidden {
		t.Errorf("the admin on the coordinator's page: %d", code)
	}
	coord := h.browser(t)
	coord.login(t, "coordinator@example.org")
	if code := coord.get(t, "/admin/figures").code; code != http.StatusForbidden {
		t.Errorf("a coordinator on the network's page: %d", code)
	}
}

// TestChartLabelsDoNotTouch: five years by month put at most eight month labels under a
// chart, far enough apart for "01/26", and every bar inside the plot.
func TestChartLabelsDoNotTouch(t *testing.T) {
	l := newHarness(t).app.Cat.Loc("fr", nil)
	var months []string
	vals := make([]int, 60)
	for i := range 60 {
		months = append(months, webapp.MonthName(time.Date(2021, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")))
		vals[i] = i % 7
	}
	c := webapp.BarChart(l, "c", "t", months, []webapp.Series{{Name: "a", Fill: "#000", Values: vals}, {Name: "b", Fill: "#111", Values: vals}}, false)
	if len(c.Labels) > 8 || c.Labels[0].Text != "01/21" {
		t.Fatalf("labels %v", c.Labels)
	}
	for i := 1; i < len(c.Labels); i++ {
		if c.Labels[i].X-c.Labels[i-1].X < 50 {
			t.Fatalf("labels %d px apart", c.Labels[i].X-c.Labels[i-1].X)
		}
	}
	for _, b := range c.Bars {
		if b.X < webapp.ChartLeft || b.X+b.W > webapp.ChartRight || b.Y < webapp.ChartTop || b.Y+b.H != webapp.ChartBottom {
			t.Fatalf("bar %+v outside the plot", b)
		}
	}
}

// TestNoticeWithAReasonCategory: the coordinator's notice form sends the reason's category,
// which the figures count; left at "Not said", none.
func TestNoticeWithAReasonCategory(t *testing.T) {
	h := newHarness(t)
	b := h.browser(t)
	b.login(t, "coordinator@example.org")
	if page := b.get(t, "/coordinator/contracts/c-3"); !strings.Contains(page.body, `<option value="STUDIES_OR_WORK">Études ou travail (fin, stage, départ)</option>`) {
		t.Fatal("the notice form offers no reason category")
	}
	b.post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Stage à Lille"}, "effectiveDate": {"2027-01-10"}, "reasonCategory": {"STUDIES_OR_WORK"}})
	b.post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Stage à Lille"}, "effectiveDate": {"2027-01-10"}, "reasonCategory": {""}})
	tr := h.be.rec.called("TerminateContract")
	if len(tr) != 2 || tr[0].req.(*contractsv1.TerminateContractRequest).GetReasonCategory() != contractsv1.TerminationReason_TERMINATION_REASON_STUDIES_OR_WORK ||
		tr[1].req.(*contractsv1.TerminateContractRequest).GetReasonCategory() != contractsv1.TerminationReason_TERMINATION_REASON_UNSPECIFIED {
		t.Fatalf("TerminateContract: %v", tr)
	}
}

package coordinator_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp/coordinator"
	"github.com/cohabit/cohabit/gateway/internal/webapp/webapptest"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
)

// TestFiguresPage: the coordinator's figures page shows the period's numbers and four charts
// drawn as SVG, each an image with a title and a description and a data table beside it, in
// French and in English, with no script; its CSV is the REST API's; a bad period falls back to
// the default one with a 400 that says so.
func TestFiguresPage(t *testing.T) {
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	r := b.Get(t, "/coordinator/figures?from=2026-01-01&to=2026-03-31")
	if r.Code != http.StatusOK {
		t.Fatalf("figures: %d\n%s", r.Code, r.Body)
	}
	for _, want := range []string{
		"<h1>Chiffres</h1>", `aria-current="page">Chiffres`, "Cohabitations commencées", "<td>7</td>", "181,5",
		"À la demande du jeune", `role="img" aria-labelledby="chart-under-way-t chart-under-way-d"`,
		`<title id="chart-started-ended-t">Cohabitations commencées et terminées, par mois</title>`,
		"<caption>Fins anticipées par motif, par mois</caption>", `<th scope="row">02/2026</th>`,
		`href="/coordinator/figures.csv?from=2026-01-01&amp;to=2026-03-31"`,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(r.Body, "<svg "); n != 4 {
		t.Errorf("%d charts, want 4", n)
	}
	if strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, "style=") {
		t.Error("the charts need a script or an inline style")
	}
	b.SetLang(t, "en")
	if en := b.Get(t, "/coordinator/figures"); en.Code != 200 || !strings.Contains(en.Body, "Stays started and ended, by month") || !strings.Contains(en.Body, "At the student’s request") {
		t.Fatalf("English: %d", en.Code)
	}

	c := b.Get(t, "/coordinator/figures.csv?from=2026-01-01&to=2026-03-31")
	rows, err := csv.NewReader(strings.NewReader(c.Body)).ReadAll()
	if c.Code != 200 || !strings.HasPrefix(c.Header.Get("Content-Type"), "text/csv") || err != nil || len(rows) != 5 ||
		rows[1][4] != "all" || rows[1][11] != "7" || rows[1][19] != "REQUESTED_BY_STUDENT=2" {
		t.Fatalf("CSV: %d %v %v", c.Code, err, rows)
	}

	bad := b.Get(t, "/coordinator/figures?from=2026-05-01&to=2026-04-01")
	if bad.Code != http.StatusBadRequest || !strings.Contains(bad.Body, `role="alert"`) || !strings.Contains(bad.Body, `value="2026-01-01"`) {
		t.Fatalf("a bad period: %d", bad.Code)
	}
}

// TestChartLabelsDoNotTouch: five years by month put at most eight month labels under a
// chart, far enough apart for "01/26", and every bar inside the plot.
func TestChartLabelsDoNotTouch(t *testing.T) {
	l := webapptest.NewHarness(t).App.Cat.Loc("fr", nil)
	var months []string
	vals := make([]int, 60)
	for i := range 60 {
		months = append(months, coordinator.MonthName(time.Date(2021, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")))
		vals[i] = i % 7
	}
	c := coordinator.BarChart(l, "c", "t", months, []coordinator.Series{{Name: "a", Fill: "#000", Values: vals}, {Name: "b", Fill: "#111", Values: vals}}, false)
	if len(c.Labels) > 8 || c.Labels[0].Text != "01/21" {
		t.Fatalf("labels %v", c.Labels)
	}
	for i := 1; i < len(c.Labels); i++ {
		if c.Labels[i].X-c.Labels[i-1].X < 50 {
			t.Fatalf("labels %d px apart", c.Labels[i].X-c.Labels[i-1].X)
		}
	}
	for _, b := range c.Bars {
		if b.X < coordinator.ChartLeft || b.X+b.W > coordinator.ChartRight || b.Y < coordinator.ChartTop || b.Y+b.H != coordinator.ChartBottom {
			t.Fatalf("bar %+v outside the plot", b)
		}
	}
}

// TestNoticeWithAReasonCategory: the coordinator's notice form sends the reason's category,
// which the figures count; left at "Not said", none.
func TestNoticeWithAReasonCategory(t *testing.T) {
	h := webapptest.NewHarness(t)
	b := h.Browser(t)
	b.Login(t, "coordinator@example.org")
	if page := b.Get(t, "/coordinator/contracts/c-3"); !strings.Contains(page.Body, `<option value="STUDIES_OR_WORK">Études ou travail (fin, stage, départ)</option>`) {
		t.Fatal("the notice form offers no reason category")
	}
	b.Post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Stage à Lille"}, "effectiveDate": {"2027-01-10"}, "reasonCategory": {"STUDIES_OR_WORK"}})
	b.Post(t, "/coordinator/contracts/c-3/terminate", url.Values{"reason": {"Stage à Lille"}, "effectiveDate": {"2027-01-10"}, "reasonCategory": {""}})
	tr := h.Be.Rec.Called("TerminateContract")
	if len(tr) != 2 || tr[0].Req.(*contractsv1.TerminateContractRequest).GetReasonCategory() != contractsv1.TerminationReason_TERMINATION_REASON_STUDIES_OR_WORK ||
		tr[1].Req.(*contractsv1.TerminateContractRequest).GetReasonCategory() != contractsv1.TerminationReason_TERMINATION_REASON_UNSPECIFIED {
		t.Fatalf("TerminateContract: %v", tr)
	}
}

package webapp

import (
	"net/http"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/rest"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// The figures pages (SPEC §8): a coordinator's programme's figures for a period, with charts by
// month drawn here as SVG (each with a data table beside it, so nothing needs JavaScript or
// sight), and the admin's network page with every programme side by side. Both offer the
// same figures as CSV.

// ErrNoFigures is the answer of the figures pages when the gateway runs without the figures service.
var ErrNoFigures = status.Error(codes.Unavailable, "the figures service is not running")

// figureRow is one line of a figures table: its label key and how to read it.
type figureRow struct {
	Key   string
	Value func(*figuresv1.ProgrammeFigures) string
}

// FigureRows are the programme figures a page and its CSV show, in order.
func FigureRows(l *Loc) []figureRow {
	n := func(get func(*figuresv1.ProgrammeFigures) int32) func(*figuresv1.ProgrammeFigures) string {
		return func(f *figuresv1.ProgrammeFigures) string { return l.Int(int(get(f))) }
	}
	x := func(get func(*figuresv1.ProgrammeFigures) float64) func(*figuresv1.ProgrammeFigures) string {
		return func(f *figuresv1.ProgrammeFigures) string { return l.Num(get(f), 1) }
	}
	return []figureRow{
		{"figure.hostsRegistered", n((*figuresv1.ProgrammeFigures).GetHostsRegistered)},
		{"figure.studentsRegistered", n((*figuresv1.ProgrammeFigures).GetStudentsRegistered)},
		{"figure.hostsWaiting", n((*figuresv1.ProgrammeFigures).GetHostsWaiting)},
		{"figure.studentsWaiting", n((*figuresv1.ProgrammeFigures).GetStudentsWaiting)},
		{"figure.matchesProposed", n((*figuresv1.ProgrammeFigures).GetMatchesProposed)},
		{"figure.matchesApproved", n((*figuresv1.ProgrammeFigures).GetMatchesApproved)},
		{"figure.medianDaysToMatch", x((*figuresv1.ProgrammeFigures).GetMedianDaysToMatch)},
		{"figure.matchedWithin4MonthsPercent", x((*figuresv1.ProgrammeFigures).GetMatchedWithin_4MonthsPercent)},
		{"figure.staysStarted", n((*figuresv1.ProgrammeFigures).GetStaysStarted)},
		{"figure.staysEnded", n((*figuresv1.ProgrammeFigures).GetStaysEnded)},
		{"figure.staysUnderWay", n((*figuresv1.ProgrammeFigures).GetStaysUnderWay)},
		{"figure.staysOver6Months", n((*figuresv1.ProgrammeFigures).GetStaysOver_6Months)},
		{"figure.averageStayDays", x((*figuresv1.ProgrammeFigures).GetAverageStayDays)},
		{"figure.earlyTerminations", n((*figuresv1.ProgrammeFigures).GetEarlyTerminations)},
		{"figure.checkinsDone", n((*figuresv1.ProgrammeFigures).GetCheckinsDone)},
		{"figure.checkinsOnTime", n((*figuresv1.ProgrammeFigures).GetCheckinsOnTime)},
	}
}

// period is the page's period form.
type period struct {
	From, To string
	// Query is "?from=…&to=…" for the CSV link.
	Query string
}

// PeriodOf is the months the figures cover.
func PeriodOf(f *figuresv1.ProgrammeFigures) period {
	return period{From: f.GetFrom(), To: f.GetTo(), Query: "?from=" + f.GetFrom() + "&to=" + f.GetTo()}
}

// PeriodForm is the form choosing the period, and the CSV link of the figures shown.
type PeriodForm struct {
	Action, CSV string
	Period      period
	Invalid     bool
}

// FiguresPage is what coord_figures shows.
type FiguresPage struct {
	Form    PeriodForm
	Rows    []ValueRow
	Charts  []chart
	Reasons []ValueRow
}

// ValueRow is one line of a table of figures: its label and its formatted value.
type ValueRow struct{ Label, Value string }

// WriteCSV answers the figures as the CSV file name, in the REST API's format (rest.WriteFiguresCSV).
func WriteCSV(w http.ResponseWriter, name string, fs ...*figuresv1.ProgrammeFigures) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_ = rest.WriteFiguresCSV(w, fs...)
}

// chart is a bar chart drawn as SVG, with the table of its figures.
type chart struct {
	ID, Title, Desc string
	Width, Height   int
	// Bars are the rectangles; Labels the months under them; Ticks the value axis.
	Bars   []rect
	Labels []label
	Ticks  []label
	Legend []legend
	// Baseline is the y of the value 0; Left the x of the value axis.
	Baseline, Left, Right int
	// Head and Rows are the data table beside the chart.
	Head  []string
	Rows  [][]string
	Empty bool
}

type rect struct {
	X, Y, W, H int
	Fill, Tip  string
}

type label struct {
	X, Y int
	Text string
}

type legend struct {
	Fill, Label string
	X, Y        int
}

// Series is one set of bars of a chart.
type Series struct {
	Name   string
	Fill   string
	Values []int
}

// Colours of the series: dark enough on white to tell apart, and each named in the legend.
var seriesFill = []string{"#1f4e8c", "#b4441c", "#3d6b1f", "#6b2d8c"}

const (
	chartW, chartH             = 640, 260
	ChartLeft, ChartRight      = 40, 630
	ChartTop, ChartBottom      = 30, 220
	chartLabelY, chartLegendY  = 240, 14
	chartTickStep, chartMaxBar = 4, 28
)

// BarChart draws series by month, side by side (or stacked), with a value axis of round
// steps.
func BarChart(l *Loc, id, title string, months []string, ss []Series, stacked bool) chart {
	c := chart{ID: id, Title: title, Desc: l.T("figures.chart.desc"), Width: chartW, Height: chartH,
		Baseline: ChartBottom, Left: ChartLeft, Right: ChartRight}
	c.Head = append(c.Head, l.T("figures.col.month"))
	for _, s := range ss {
		c.Head = append(c.Head, s.Name)
	}
	top := 0
	for i := range months {
		sum := 0
		for _, s := range ss {
			sum += s.Values[i]
			if !stacked {
				top = max(top, s.Values[i])
			}
		}
		if stacked {
			top = max(top, sum)
		}
		row := []string{months[i]}
		for _, s := range ss {
			row = append(row, l.Int(s.Values[i]))
		}
		c.Rows = append(c.Rows, row)
	}
	c.Empty = top == 0
	step := niceStep(top)
	scaleTop := max(step*chartTickStep, 1)
	for v := 0; v <= scaleTop; v += max(step, 1) {
		y := ChartBottom - v*(ChartBottom-ChartTop)/scaleTop
		c.Ticks = append(c.Ticks, label{X: ChartLeft - 6, Y: y + 4, Text: l.Int(v)})
	}
	slot := (ChartRight - ChartLeft) / max(len(months), 1)
	barW := min(chartMaxBar, max(2, (slot-2)/max(1, len(ss))))
	if stacked {
		barW = min(chartMaxBar, max(2, slot-2))
	}
	every := (len(months) + 7) / 8 // at most eight month labels, short ones: they must not touch
	for i, m := range months {
		x0 := ChartLeft + i*slot + 1
		base := ChartBottom
		for j, s := range ss {
			v := s.Values[i]
			h := v * (ChartBottom - ChartTop) / scaleTop
			x := x0 + j*barW
			if stacked {
				x = x0
			}
			if v > 0 {
				c.Bars = append(c.Bars, rect{X: x, Y: base - h, W: barW, H: h, Fill: s.Fill, Tip: m + " — " + s.Name + " : " + l.Int(v)})
			}
			if stacked {
				base -= h
			}
		}
		if i%every == 0 {
			c.Labels = append(c.Labels, label{X: x0 + slot/2, Y: chartLabelY, Text: shortMonth(m)})
		}
	}
	x := ChartLeft
	for _, s := range ss {
		c.Legend = append(c.Legend, legend{Fill: s.Fill, Label: s.Name, X: x, Y: chartLegendY})
		x += 24 + 7*len([]rune(s.Name))
	}
	return c
}

// niceStep is a round step (1, 2, 5 × 10ⁿ) dividing top in about four.
func niceStep(top int) int {
	if top <= chartTickStep {
		return 1
	}
	raw := float64(top) / chartTickStep
	for p := 1; ; p *= 10 {
		for _, m := range []int{1, 2, 5} {
			if float64(m*p) >= raw {
				return m * p
			}
		}
	}
}

// MonthName is "01/2026" in either language: short, and the same in the table and chart.
func MonthName(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("01/2006")
}

// shortMonth is "01/26" for "01/2026": the chart's labels; the table beside it says the year
// in full.
func shortMonth(m string) string {
	if len(m) == len("01/2026") {
		return m[:3] + m[5:]
	}
	return m
}

// FigureCharts are the coordinator's charts: stays under way at each month's end, stays
// started and ended each month, early terminations each month by reason, and registrations.
func FigureCharts(l *Loc, f *figuresv1.ProgrammeFigures) []chart {
	var months []string
	under := Series{Name: l.T("figures.series.underWay"), Fill: seriesFill[0]}
	started := Series{Name: l.T("figures.series.started"), Fill: seriesFill[0]}
	ended := Series{Name: l.T("figures.series.ended"), Fill: seriesFill[1]}
	hosts := Series{Name: l.T("figures.series.hosts"), Fill: seriesFill[0]}
	students := Series{Name: l.T("figures.series.students"), Fill: seriesFill[2]}
	var reasons []string
	seen := map[string]bool{}
	for _, m := range f.GetMonths() {
		for _, rc := range m.GetEarlyTerminationReasons() {
			if !seen[rc.GetReason()] {
				seen[rc.GetReason()] = true
				reasons = append(reasons, rc.GetReason())
			}
		}
	}
	early := make([]Series, len(reasons))
	for i, r := range reasons {
		early[i] = Series{Name: l.Optional("figures.reason."+r, r), Fill: seriesFill[i%len(seriesFill)]}
	}
	for _, m := range f.GetMonths() {
		months = append(months, MonthName(m.GetMonth()))
		under.Values = append(under.Values, int(m.GetStaysUnderWay()))
		started.Values = append(started.Values, int(m.GetStaysStarted()))
		ended.Values = append(ended.Values, int(m.GetStaysEnded()))
		hosts.Values = append(hosts.Values, int(m.GetHostsRegistered()))
		students.Values = append(students.Values, int(m.GetStudentsRegistered()))
		for i, r := range reasons {
			n := 0
			for _, rc := range m.GetEarlyTerminationReasons() {
				if rc.GetReason() == r {
					n = int(rc.GetCount())
				}
			}
			early[i].Values = append(early[i].Values, n)
		}
	}
	if len(early) == 0 {
		early = []Series{{Name: l.T("figure.earlyTerminations"), Fill: seriesFill[1], Values: make([]int, len(months))}}
	}
	return []chart{
		BarChart(l, "chart-under-way", l.T("figures.chart.underWay"), months, []Series{under}, false),
		BarChart(l, "chart-started-ended", l.T("figures.chart.startedEnded"), months, []Series{started, ended}, false),
		BarChart(l, "chart-early", l.T("figures.chart.early"), months, early, true),
		BarChart(l, "chart-registered", l.T("figures.chart.registered"), months, []Series{hosts, students}, false),
	}
}

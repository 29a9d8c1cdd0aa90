package coordinator

import (
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
)

// The figures page's charts: by month, drawn here as SVG, each with a data table beside it,
// so that nothing needs JavaScript or sight.

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

// series is one set of bars of a chart.
type series struct {
	Name   string
	Fill   string
	Values []int
}

// Colours of the series: dark enough on white to tell apart, and each named in the legend.
var seriesFill = []string{"#1f4e8c", "#b4441c", "#3d6b1f", "#6b2d8c"}

const (
	chartW, chartH             = 640, 260
	chartLeft, chartRight      = 40, 630
	chartTop, chartBottom      = 30, 220
	chartLabelY, chartLegendY  = 240, 14
	chartTickStep, chartMaxBar = 4, 28
)

// barChart draws series by month, side by side (or stacked), with a value axis of round
// steps.
func barChart(l *webapp.Loc, id, title string, months []string, ss []series, stacked bool) chart {
	c := chart{ID: id, Title: title, Desc: l.T("figures.chart.desc"), Width: chartW, Height: chartH,
		Baseline: chartBottom, Left: chartLeft, Right: chartRight}
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
		y := chartBottom - v*(chartBottom-chartTop)/scaleTop
		c.Ticks = append(c.Ticks, label{X: chartLeft - 6, Y: y + 4, Text: l.Int(v)})
	}
	slot := (chartRight - chartLeft) / max(len(months), 1)
	barW := min(chartMaxBar, max(2, (slot-2)/max(1, len(ss))))
	if stacked {
		barW = min(chartMaxBar, max(2, slot-2))
	}
	every := (len(months) + 7) / 8 // at most eight month labels, short ones: they must not touch
	for i, m := range months {
		x0 := chartLeft + i*slot + 1
		base := chartBottom
		for j, s := range ss {
			v := s.Values[i]
			h := v * (chartBottom - chartTop) / scaleTop
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
	x := chartLeft
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

// monthName is "01/2026" in either language: short, and the same in the table and chart.
func monthName(m string) string {
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

// figureCharts are the coordinator's charts: stays under way at each month's end, stays
// started and ended each month, early terminations each month by reason, and registrations.
func figureCharts(l *webapp.Loc, f *figuresv1.ProgrammeFigures) []chart {
	var months []string
	under := series{Name: l.T("figures.series.underWay"), Fill: seriesFill[0]}
	started := series{Name: l.T("figures.series.started"), Fill: seriesFill[0]}
	ended := series{Name: l.T("figures.series.ended"), Fill: seriesFill[1]}
	hosts := series{Name: l.T("figures.series.hosts"), Fill: seriesFill[0]}
	students := series{Name: l.T("figures.series.students"), Fill: seriesFill[2]}
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
	early := make([]series, len(reasons))
	for i, r := range reasons {
		early[i] = series{Name: l.Optional("figures.reason."+r, r), Fill: seriesFill[i%len(seriesFill)]}
	}
	for _, m := range f.GetMonths() {
		months = append(months, monthName(m.GetMonth()))
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
		early = []series{{Name: l.T("figure.earlyTerminations"), Fill: seriesFill[1], Values: make([]int, len(months))}}
	}
	return []chart{
		barChart(l, "chart-under-way", l.T("figures.chart.underWay"), months, []series{under}, false),
		barChart(l, "chart-started-ended", l.T("figures.chart.startedEnded"), months, []series{started, ended}, false),
		barChart(l, "chart-early", l.T("figures.chart.early"), months, early, true),
		barChart(l, "chart-registered", l.T("figures.chart.registered"), months, []series{hosts, students}, false),
	}
}

package coordinator

// The charts' drawing, for TestChartLabelsDoNotTouch (package coordinator_test, which drives
// the application through webapptest and so cannot sit in this package).
var (
	BarChart  = barChart
	MonthName = monthName
)

type Series = series

const ChartLeft, ChartRight, ChartTop, ChartBottom = chartLeft, chartRight, chartTop, chartBottom

package coordinator

// What the tests of package coordinator_test check of this package's insides: they drive the
// application through webapptest, which imports this package, so they cannot sit in it.
var (
	BarChart   = barChart
	MonthName  = monthName
	RoomValues = roomValues
)

type Series = series

const ChartLeft, ChartRight, ChartTop, ChartBottom = chartLeft, chartRight, chartTop, chartBottom

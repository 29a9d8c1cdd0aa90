package poolcache

import "github.com/prometheus/client_golang/prometheus"

// Collector reports stats (a Cache's Stats) on every scrape of the service's metrics, under
// cohabit_matching_pool_*: what the snapshots hold now (programmes, rooms, applications,
// bytes of the budget) and what the cache did (hits, rebuilds, evictions). Rebuilds that
// follow every read, or evictions, say the budget (COHABIT_MATCHING_POOL_MEMORY) is short.
func Collector(stats func() Stats) prometheus.Collector { return collector(stats) }

type collector func() Stats

func desc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc("cohabit_matching_pool_"+name, help, nil, nil)
}

var (
	programmesDesc   = desc("programmes", "Programmes whose pool snapshot is held in memory.")
	roomsDesc        = desc("rooms", "Rooms in the snapshots held.")
	applicationsDesc = desc("applications", "Applications in the snapshots held.")
	bytesDesc        = desc("bytes", "Estimated memory of the snapshots held.")
	budgetDesc       = desc("budget_bytes", "The snapshots' memory budget (COHABIT_MATCHING_POOL_MEMORY).")
	hitsDesc         = desc("hits_total", "Reads served from a snapshot in memory.")
	rebuildsDesc     = desc("rebuilds_total", "Snapshots built: a programme's first read, or a read after its pool changed.")
	evictionsDesc    = desc("evictions_total", "Snapshots dropped to stay within the budget.")
)

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{programmesDesc, roomsDesc, applicationsDesc, bytesDesc, budgetDesc, hitsDesc, rebuildsDesc, evictionsDesc} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	s := c()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(programmesDesc, float64(s.Programmes))
	gauge(roomsDesc, float64(s.Rooms))
	gauge(applicationsDesc, float64(s.Applications))
	gauge(bytesDesc, float64(s.Bytes))
	gauge(budgetDesc, float64(s.Budget))
	counter(hitsDesc, float64(s.Hits))
	counter(rebuildsDesc, float64(s.Builds))
	counter(evictionsDesc, float64(s.Evictions))
}

package poolcache

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// TestCollector: the figures a scrape reports are what the cache holds and did — two
// programmes of 10 applications held, one read served from memory, three builds.
func TestCollector(t *testing.T) {
	src := &versions{v: map[string]int64{}, n: 10}
	c := New(src, score.NewLanguageTable(), 1<<20, nil)
	ctx := context.Background()
	for _, p := range []string{"p", "q", "p"} {
		if _, err := c.Get(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	src.bump("q")
	if _, err := c.Get(ctx, "q"); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(Collector(c.Stats))
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		m := f.GetMetric()[0]
		got[f.GetName()] = m.GetGauge().GetValue() + m.GetCounter().GetValue()
	}
	st := c.Stats()
	want := map[string]float64{
		"cohabit_matching_pool_programmes":      2,
		"cohabit_matching_pool_rooms":           0,
		"cohabit_matching_pool_applications":    20,
		"cohabit_matching_pool_bytes":           float64(st.Bytes),
		"cohabit_matching_pool_budget_bytes":    1 << 20,
		"cohabit_matching_pool_hits_total":      1,
		"cohabit_matching_pool_rebuilds_total":  3,
		"cohabit_matching_pool_evictions_total": 0,
	}
	for name, w := range want {
		if v, ok := got[name]; !ok || v != w {
			t.Errorf("%s = %v (reported: %v), want %v", name, v, ok, w)
		}
	}
	if st.Bytes <= 0 {
		t.Errorf("bytes held: %d, want > 0", st.Bytes)
	}
}

// Command topkbench measures the latency of one room's top-K search over many students
// (score.Ranker.TopK, full scan, and TopKNear, with the spatial prefilter) on a structured
// population, on one core, and prints percentiles. A harness, not a timed test: run it on a
// quiet machine.
package main

import (
	"flag"
	"fmt"
	"log"
	"runtime"
	"slices"
	"time"

	"github.com/cohabit/cohabit/services/matching/bench"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

func main() {
	students := flag.Int("students", 100000, "students to rank")
	queries := flag.Int("queries", 2000, "rooms searched (drawn like the population's rooms)")
	k := flag.Int("k", 20, "K")
	seed := flag.Uint64("seed", 1, "seed")
	rounds := flag.Int("rounds", 3, "passes over the rooms (the first is a warm-up)")
	flag.Parse()
	runtime.GOMAXPROCS(1)

	pop := bench.Generate(bench.Config{Students: *students, Rooms: *queries, Seed: *seed})
	t0 := time.Now()
	ranker := score.NewRanker(pop.Students, score.RankerOptions{})
	fmt.Printf("ranker of %d students built in %v; %d rooms, k=%d, GOMAXPROCS=1\n", ranker.Len(), time.Since(t0).Round(time.Millisecond), len(pop.Rooms), *k)

	var w score.Weights
	for _, r := range pop.Rooms { // same answers with and without the prefilter
		if a, b := ranker.TopK(r, *k, w), ranker.TopKNear(r, *k, w); !slices.Equal(a, b) {
			log.Fatalf("room %s: TopK and TopKNear differ", r.ID)
		}
	}
	for _, m := range []struct {
		name string
		f    func(score.Room, int, score.Weights) []score.Candidate
	}{{"TopK (full scan)", ranker.TopK}, {"TopKNear (prefilter)", ranker.TopKNear}} {
		var lat []time.Duration
		found := 0
		var ms0, ms1 runtime.MemStats
		for round := range *rounds {
			if round == 1 {
				runtime.GC()
				runtime.ReadMemStats(&ms0)
			}
			for _, r := range pop.Rooms {
				t := time.Now()
				c := m.f(r, *k, w)
				d := time.Since(t)
				if round > 0 {
					lat = append(lat, d)
					found += len(c)
				}
			}
		}
		runtime.ReadMemStats(&ms1)
		slices.Sort(lat)
		pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		var sum time.Duration
		for _, d := range lat {
			sum += d
		}
		fmt.Printf("%-22s p50 %9v  p90 %9v  p99 %9v  max %9v  mean %9v  allocs/op %.2f  bytes/op %.0f  (%d searches, %.1f candidates each)\n",
			m.name, pct(0.5), pct(0.9), pct(0.99), lat[len(lat)-1], sum/time.Duration(len(lat)),
			float64(ms1.Mallocs-ms0.Mallocs)/float64(len(lat)), float64(ms1.TotalAlloc-ms0.TotalAlloc)/float64(len(lat)),
			len(lat), float64(found)/float64(len(lat)))
	}
}

package bench

import (
	"sync"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/assign"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// Benchmarks on structured instances. Run them on a quiet machine:
//
//	go test -run '^$' -bench . -benchmem ./bench/
//
// BenchmarkAssign20k takes a few seconds per iteration plus ~2 s of set-up; -short skips it.

var (
	topkOnce   sync.Once
	topkPop    Population
	topkRanker *score.Ranker
)

// topkSetup: 100k students, 1000 rooms to search, drawn alike (so most rooms are in big
// cities, where the search is the most expensive).
func topkSetup(b *testing.B) (*score.Ranker, []score.Room) {
	topkOnce.Do(func() {
		topkPop = Generate(Config{Students: 100_000, Rooms: 1000, Seed: 1})
		topkRanker = score.NewRanker(topkPop.Students, score.RankerOptions{})
	})
	b.ResetTimer()
	return topkRanker, topkPop.Rooms
}

// BenchmarkTopK100k: top 20 of 100k students for one room, full scan of the column layout
// (mean over 1000 rooms; topkbench reports percentiles).
func BenchmarkTopK100k(b *testing.B) {
	ranker, rooms := topkSetup(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ranker.TopK(rooms[i%len(rooms)], 20, score.Weights{})
	}
}

// BenchmarkTopK100kPrefilter: the same with the spatial prefilter.
func BenchmarkTopK100kPrefilter(b *testing.B) {
	ranker, rooms := topkSetup(b)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		ranker.TopKNear(rooms[i%len(rooms)], 20, score.Weights{})
	}
}

var (
	assignOnce    sync.Once
	assignProblem assign.Problem
)

// BenchmarkAssign20k: allocation of 20k students to 20k rooms, ~200 feasible rooms each,
// weights on a grid of whole points (ties). Skipped with -short.
func BenchmarkAssign20k(b *testing.B) {
	if testing.Short() {
		b.Skip("about 2 s of set-up and 1 s per iteration; run without -short")
	}
	assignOnce.Do(func() {
		t := time.Now()
		assignProblem = Allocation(Generate(Config{Students: 20_000, Rooms: 20_000, Seed: 1}), score.Weights{}, 100)
		b.Logf("instance: %d feasible pairs (%.1f per student), built in %v", len(assignProblem.Edges),
			float64(len(assignProblem.Edges))/20_000, time.Since(t).Round(time.Millisecond))
	})
	b.ReportAllocs()
	b.ResetTimer()
	var total int64
	for b.Loop() {
		r, err := assign.Solve(assignProblem)
		if err != nil {
			b.Fatal(err)
		}
		total = r.Total
	}
	b.ReportMetric(float64(total), "objective")
}

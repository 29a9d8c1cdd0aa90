// Command allocbench times the Go allocation (assign.Solve) against scipy's
// min_weight_full_bipartite_matching on the same structured instance, in one run, and checks
// that both find the same optimum. A harness, not a timed test: run it on a quiet machine.
//
//	go run ./bench/cmd/allocbench -students 20000 -rooms 20000 -repeat 3
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"time"

	"github.com/cohabit/cohabit/services/matching/bench"
	"github.com/cohabit/cohabit/services/matching/internal/assign"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

func main() {
	students := flag.Int("students", 20000, "students")
	rooms := flag.Int("rooms", 20000, "rooms")
	seed := flag.Uint64("seed", 1, "seed")
	grid := flag.Int("grid", 100, "round weights (hundredths of a point) to multiples of this (100: whole points, many ties)")
	repeat := flag.Int("repeat", 3, "runs of each solver (the median is compared)")
	instance := flag.String("instance", "", "read this instance file instead of generating one")
	keep := flag.String("keep", "", "write the generated instance here (default: a temporary file, removed)")
	script := flag.String("script", "", "scripts/bench-allocation.py (default: found above the current directory)")
	flag.Parse()
	runtime.GOMAXPROCS(1) // scipy's solver is single-threaded too

	var p assign.Problem
	path := *instance
	if path == "" {
		t := time.Now()
		pop := bench.Generate(bench.Config{Students: *students, Rooms: *rooms, Seed: *seed})
		p = bench.Allocation(pop, score.Weights{}, *grid)
		fmt.Printf("instance: %d students, %d rooms, %d feasible pairs (%.1f per student), generated and scored in %v\n",
			p.Students, p.Rooms, len(p.Edges), float64(len(p.Edges))/float64(max(p.Students, 1)), time.Since(t).Round(time.Millisecond))
		path = *keep
		if path == "" {
			dir, err := os.MkdirTemp("", "allocbench")
			if err != nil {
				log.Fatal(err)
			}
			defer os.RemoveAll(dir)
			path = filepath.Join(dir, "instance.bin")
		}
		if err := bench.WriteInstance(path, p); err != nil {
			log.Fatal(err)
		}
	} else {
		var err error
		if p, err = bench.ReadInstance(path); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("instance %s: %d students, %d rooms, %d feasible pairs\n", path, p.Students, p.Rooms, len(p.Edges))
	}

	// Go: Solve from the edge list (its compressed graph built inside, and timed).
	var goTimes []float64
	var res assign.Result
	for range *repeat {
		runtime.GC()
		t := time.Now()
		r, err := assign.Solve(p)
		if err != nil {
			log.Fatal(err)
		}
		goTimes = append(goTimes, time.Since(t).Seconds())
		res = r
	}
	reasons := map[assign.Reason]int{}
	for _, u := range res.Unmatched {
		reasons[u.Reason]++
	}
	fmt.Printf("go     assign.Solve: runs %s  median %.3f s  objective %d  pairs %d  unmatched %v\n",
		fmtTimes(goTimes), median(goTimes), res.Total, len(res.Pairs), reasons)

	if *script == "" {
		s, err := bench.Script()
		if err != nil {
			log.Fatal(err)
		}
		*script = s
	}
	sp, err := bench.SolveScipy(*script, path, *repeat)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("scipy  %s %s: runs %s  median %.3f s  objective %d  pairs %d\n",
		sp.Solver, sp.Version, fmtTimes(sp.Seconds), median(sp.Seconds), sp.Objective, sp.Matched)
	equal := sp.Objective == res.Total
	fmt.Printf("ratio go/scipy %.3f   objectives equal: %v\n", median(goTimes)/median(sp.Seconds), equal)
	if !equal {
		os.Exit(1)
	}
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}

func fmtTimes(xs []float64) string {
	out := "["
	for i, x := range xs {
		if i > 0 {
			out += " "
		}
		out += fmt.Sprintf("%.3f", x)
	}
	return out + "]"
}

// Command geninstance writes a structured allocation instance (see package bench) to a file
// that scripts/bench-allocation.py and allocbench read.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/cohabit/cohabit/services/matching/bench"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

func main() {
	students := flag.Int("students", 20000, "students")
	rooms := flag.Int("rooms", 20000, "rooms")
	seed := flag.Uint64("seed", 1, "seed")
	grid := flag.Int("grid", 100, "round weights (hundredths of a point) to multiples of this")
	out := flag.String("o", "instance.bin", "output file")
	flag.Parse()
	pop := bench.Generate(bench.Config{Students: *students, Rooms: *rooms, Seed: *seed})
	p := bench.Allocation(pop, score.Weights{}, *grid)
	if err := bench.WriteInstance(*out, p); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%s: %d students, %d rooms, %d feasible pairs (%.1f per student)\n", *out, p.Students, p.Rooms, len(p.Edges), float64(len(p.Edges))/float64(max(p.Students, 1)))
}

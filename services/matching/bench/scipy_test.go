package bench

import (
	"path/filepath"
	"testing"

	"github.com/cohabit/cohabit/services/matching/internal/assign"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// The Go allocation and scipy's min_weight_full_bipartite_matching find the same optimum on
// structured medium instances. Skipped when /usr/bin/python3 has no scipy.
func TestObjectiveEqualsScipy(t *testing.T) {
	if !HaveScipy() {
		t.Skip(ErrNoScipy)
	}
	script, err := Script()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		students, rooms, cities, grid int
		seed                          uint64
	}{
		{500, 500, 3, 100, 1}, {500, 500, 3, 1, 2}, {600, 300, 3, 100, 3}, {300, 600, 2, 50, 4}, {2000, 2000, 10, 100, 5},
	} {
		pop := Generate(Config{Students: tc.students, Rooms: tc.rooms, Seed: tc.seed, Cities: tc.cities,
			SpreadPerShareKm: 110 * float64(tc.rooms) / 20000})
		p := Allocation(pop, score.Weights{}, tc.grid)
		path := filepath.Join(t.TempDir(), "instance.bin")
		if err := WriteInstance(path, p); err != nil {
			t.Fatal(err)
		}
		back, err := ReadInstance(path)
		if err != nil || len(back.Edges) != len(p.Edges) {
			t.Fatalf("read back: %v (%d edges of %d)", err, len(back.Edges), len(p.Edges))
		}
		r, err := assign.Solve(back)
		if err != nil {
			t.Fatal(err)
		}
		sp, err := SolveScipy(script, path, 1)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d×%d, %d cities, grid %d: %d edges, objective Go %d (%d pairs), scipy %d (%d pairs)", tc.students, tc.rooms, tc.cities, tc.grid, len(p.Edges), r.Total, len(r.Pairs), sp.Objective, sp.Matched)
		if r.Total != sp.Objective {
			t.Errorf("%d×%d: objective Go %d ≠ scipy %d", tc.students, tc.rooms, r.Total, sp.Objective)
		}
		if len(r.Pairs) < sp.Matched {
			t.Errorf("Go matched %d < scipy %d at the same total (Go maximises pairs second)", len(r.Pairs), sp.Matched)
		}
	}
}

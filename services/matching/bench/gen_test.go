package bench

import (
	"slices"
	"testing"

	"github.com/cohabit/cohabit/services/matching/internal/score"
)

func TestGenerateDeterministic(t *testing.T) {
	a := Generate(Config{Students: 300, Rooms: 300, Seed: 7})
	b := Generate(Config{Students: 300, Rooms: 300, Seed: 7})
	for i := range a.Students {
		if a.Students[i] != b.Students[i] {
			t.Fatalf("student %d differs", i)
		}
	}
	pa, pb := Allocation(a, score.Weights{}, 100), Allocation(b, score.Weights{}, 100)
	if len(pa.Edges) != len(pb.Edges) || len(pa.Edges) == 0 {
		t.Fatalf("edges: %d vs %d", len(pa.Edges), len(pb.Edges))
	}
	for _, e := range pa.Edges {
		if e.Weight%100 != 0 {
			t.Fatalf("weight %d not on the grid", e.Weight)
		}
	}
}

// On a structured population (ties, popular students and rooms), the ranker's searches give
// exactly what scoring every pair with score.Score gives.
func TestRankerMatchesScoreOnStructuredPopulation(t *testing.T) {
	pop := Generate(Config{Students: 10000, Rooms: 20, Seed: 3})
	ranker := score.NewRanker(pop.Students, score.RankerOptions{})
	for _, room := range pop.Rooms {
		var want []score.Candidate
		for i, s := range pop.Students {
			if r := score.Score(room, s, score.Weights{}); r.Feasible() {
				want = append(want, score.Candidate{Index: i, StudentID: s.ID, Points: r.Points, Score: r.Score})
			}
		}
		if got := ranker.Feasible(nil, room, score.Weights{}); !slices.Equal(got, want) {
			t.Fatalf("room %s: Feasible found %d, Score %d", room.ID, len(got), len(want))
		}
		slices.SortStableFunc(want, func(a, b score.Candidate) int { return b.Points - a.Points })
		want = want[:min(20, len(want))]
		if got := ranker.TopK(room, 20, score.Weights{}); !slices.Equal(got, want) {
			t.Fatalf("room %s: TopK\n got %v\nwant %v", room.ID, got, want)
		}
		if got := ranker.TopKNear(room, 20, score.Weights{}); !slices.Equal(got, want) {
			t.Fatalf("room %s: TopKNear\n got %v\nwant %v", room.ID, got, want)
		}
	}
}

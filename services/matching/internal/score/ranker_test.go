package score

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/cohabit/cohabit/services/matching/internal/geo"
)

// bruteTopK scores every pair with Score and keeps the k best (more points, lower index).
func bruteTopK(room Room, students []Student, k int, w Weights) []Candidate {
	return topOf(bruteFeasible(room, students, w), k)
}

func topOf(feasible []Candidate, k int) []Candidate {
	all := slices.Clone(feasible)
	slices.SortFunc(all, func(a, b Candidate) int {
		if a.Points != b.Points {
			return b.Points - a.Points
		}
		return a.Index - b.Index
	})
	return all[:min(k, len(all))]
}

func bruteFeasible(room Room, students []Student, w Weights) []Candidate {
	var all []Candidate
	for i, s := range students {
		if r := Score(room, s, w); r.Feasible() {
			all = append(all, Candidate{Index: i, StudentID: s.ID, Points: r.Points, Score: r.Score})
		}
	}
	return all
}

func withTies(rng *rand.Rand, students []Student) []Student {
	// A few students with unknown places or odd limits.
	for i := range students {
		switch rng.IntN(100) {
		case 0:
			students[i].StudyLat = math.NaN()
		case 1:
			students[i].StudyLng = math.Inf(-1)
		case 2:
			students[i].MaxCommuteKm = math.NaN()
		case 3:
			students[i].MaxCommuteKm = math.Inf(1)
		}
	}
	// Copies of earlier students (ties broken by index) and students at the same place.
	for i := range students {
		if i > 0 && rng.IntN(5) == 0 {
			j := rng.IntN(i)
			id := students[i].ID
			students[i] = students[j]
			students[i].ID = id
		}
	}
	return students
}

func TestRankerMatchesScore(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	weights := []Weights{{}, {Commute: 1, CommuteReferenceKm: 3}, {Services: 5, Nights: 1, Duration: 2, CommuteReferenceKm: 50}}
	for trial := range 15 {
		students := withTies(rng, randomStudents(rng, 300+rng.IntN(500)))
		cell := []float64{0, 0.01, 0.05, 0.3, 2}[trial%5]
		ranker := NewRanker(students, RankerOptions{CellDeg: cell})
		if ranker.Len() != len(students) {
			t.Fatalf("Len = %d", ranker.Len())
		}
		for _, room := range randomRooms(rng, 12) {
			if rng.IntN(4) == 0 { // rooms some students target
				room.ID = "room-" + string(rune('0'+rng.IntN(10)))
			}
			if rng.IntN(20) == 0 {
				room.Lat = math.NaN()
			}
			w := weights[rng.IntN(len(weights))]
			feasible := bruteFeasible(room, students, w)
			for _, k := range []int{1, 5, 40, 5000} {
				want := topOf(feasible, k)
				if got := ranker.TopK(room, k, w); !equalCandidates(got, want) {
					t.Fatalf("trial %d k=%d: TopK\n got %v\nwant %v", trial, k, got, want)
				}
				if got := ranker.TopKNear(room, k, w); !equalCandidates(got, want) {
					t.Fatalf("trial %d cell %v k=%d: TopKNear\n got %v\nwant %v", trial, cell, k, got, want)
				}
			}
			if got, want := ranker.Feasible(nil, room, w), feasible; !equalCandidates(got, want) {
				t.Fatalf("trial %d: Feasible\n got %v\nwant %v", trial, got, want)
			}
		}
		for i := range 10 {
			if ranker.Student(i).ID != students[i].ID {
				t.Fatalf("Student(%d) = %s", i, ranker.Student(i).ID)
			}
		}
	}
}

// Places near the poles and the date line, and radii from metres to a continent.
func TestTopKNearEdgesOfTheMap(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	room, base := perfectPair(t)
	for trial := range 40 {
		lat := []float64{89.9, -89.95, 0, 70, -60}[trial%5]
		lng := []float64{179.99, -179.99, 0, 180, -180}[rng.IntN(5)]
		students := make([]Student, 400)
		for i := range students {
			s := base
			s.ID = "s"
			s.StudyLat = max(-90, min(90, lat+rng.NormFloat64()*0.5))
			s.StudyLng = lng + rng.NormFloat64()*2
			s.MaxCommuteKm = []float64{0.01, 1, 30, 200, 3000, 0}[rng.IntN(6)]
			students[i] = s
		}
		ranker := NewRanker(students, RankerOptions{CellDeg: []float64{0.01, 0.1, 1, 7}[trial%4]})
		room.Lat, room.Lng = max(-90, min(90, lat+rng.NormFloat64()*0.5)), lng+rng.NormFloat64()*2
		want := bruteTopK(room, students, 1000, Weights{})
		if got := ranker.TopKNear(room, 1000, Weights{}); !equalCandidates(got, want) {
			t.Fatalf("trial %d at (%v, %v): TopKNear found %d, brute force %d", trial, room.Lat, room.Lng, len(got), len(want))
		}
	}
}

// The float32 chord bound of the ranker never exceeds the haversine distance.
func TestChord32BoundConservative(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for range 50000 {
		lat, lng := rng.Float64()*170-85, rng.Float64()*360-180
		scale := math.Pow(10, -5+7*rng.Float64())
		lat2, lng2 := max(-90, min(90, lat+(rng.Float64()*2-1)*scale)), lng+(rng.Float64()*2-1)*scale
		a, b := geo.UnitVec(lat, lng), geo.UnitVec(lat2, lng2)
		dx, dy, dz := float32(a.X)-float32(b.X), float32(a.Y)-float32(b.Y), float32(a.Z)-float32(b.Z)
		c2 := dx*dx + dy*dy + dz*dz
		d := geo.DistanceKm(geo.NewPoint(lat, lng), geo.NewPoint(lat2, lng2))
		if lb := math.Sqrt(float64(c2))*geo.EarthRadiusKm - chord32SlackKm; lb > d {
			t.Fatalf("lower bound %v > distance %v", lb, d)
		}
		c := (d + chord32SlackKm) / geo.EarthRadiusKm
		if c2 > float32(c*c*(1+1e-6)) {
			t.Fatalf("place at %v km beyond its own limit (c2 %v)", d, c2)
		}
	}
}

func TestTopKAllocatesOnlyItsResult(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	students := randomStudents(rng, 5000)
	ranker := NewRanker(students, RankerOptions{})
	room := randomRooms(rng, 1)[0]
	for name, f := range map[string]func(){
		"TopK":     func() { ranker.TopK(room, 20, Weights{}) },
		"TopKNear": func() { ranker.TopKNear(room, 20, Weights{}) },
	} {
		if a := testing.AllocsPerRun(50, f); a > 1 {
			t.Errorf("%s: %v allocations per call", name, a)
		}
	}
}

func equalCandidates(a, b []Candidate) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A Ranker is safe for concurrent searches (run with -race).
func TestRankerConcurrentSearches(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	ranker := NewRanker(randomStudents(rng, 2000), RankerOptions{})
	rooms := randomRooms(rng, 40)
	want := make([][]Candidate, len(rooms))
	for i, r := range rooms {
		want[i] = ranker.TopK(r, 10, Weights{})
	}
	done := make(chan bool)
	for g := range 4 {
		go func() {
			ok := true
			for i := range rooms {
				r := rooms[(i+g)%len(rooms)]
				ok = ok && equalCandidates(ranker.TopKNear(r, 10, Weights{}), want[(i+g)%len(rooms)])
			}
			done <- ok
		}()
	}
	for range 4 {
		if !<-done {
			t.Fatal("concurrent searches disagree")
		}
	}
}

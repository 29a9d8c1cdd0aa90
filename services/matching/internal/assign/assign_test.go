package assign

import (
	"errors"
	"math/rand/v2"
	"testing"
)

// randomProblem draws a problem with random sparsity, coarse weights (ties) and, with
// probability pLock, a few locked pairs.
func randomProblem(rng *rand.Rand, n, m int, density float64, maxW int64, pLock float64) Problem {
	p := Problem{Students: n, Rooms: m}
	for i := range n {
		for j := range m {
			if rng.Float64() < density {
				p.Edges = append(p.Edges, Edge{Student: int32(i), Room: int32(j), Weight: rng.Int64N(maxW + 1)})
			}
		}
	}
	if len(p.Edges) > 0 && rng.IntN(4) == 0 { // a duplicate pair
		e := p.Edges[rng.IntN(len(p.Edges))]
		e.Weight = rng.Int64N(maxW + 1)
		p.Edges = append(p.Edges, e)
	}
	if len(p.Edges) > 0 && rng.Float64() < pLock {
		usedS, usedR := map[int]bool{}, map[int]bool{}
		for range 1 + rng.IntN(2) {
			e := p.Edges[rng.IntN(len(p.Edges))]
			if usedS[int(e.Student)] || usedR[int(e.Room)] {
				continue
			}
			usedS[int(e.Student)], usedR[int(e.Room)] = true, true
			p.Locked = append(p.Locked, Pair{Student: int(e.Student), Room: int(e.Room)})
		}
	}
	return p
}

// bestWeights returns the best weight of each pair (duplicates: the largest), -1 for none.
func bestWeights(p Problem) [][]int64 {
	w := make([][]int64, p.Students)
	for i := range w {
		w[i] = make([]int64, p.Rooms)
		for j := range w[i] {
			w[i][j] = -1
		}
	}
	for _, e := range p.Edges {
		w[e.Student][e.Room] = max(w[e.Student][e.Room], e.Weight)
	}
	return w
}

// exhaustive returns the best (total, pairs) over all matchings that keep the locked pairs.
func exhaustive(p Problem) (bestTotal int64, bestCount int) {
	w := bestWeights(p)
	lockedRoom := make([]int, p.Students)
	for i := range lockedRoom {
		lockedRoom[i] = -1
	}
	for _, l := range p.Locked {
		lockedRoom[l.Student] = l.Room
	}
	used := make([]bool, p.Rooms)
	for _, l := range p.Locked {
		used[l.Room] = true
	}
	bestTotal, bestCount = -1, -1
	var rec func(i int, total int64, count int)
	rec = func(i int, total int64, count int) {
		if i == p.Students {
			if total > bestTotal || (total == bestTotal && count > bestCount) {
				bestTotal, bestCount = total, count
			}
			return
		}
		if r := lockedRoom[i]; r >= 0 {
			rec(i+1, total+w[i][r], count+1)
			return
		}
		rec(i+1, total, count)
		for j := range p.Rooms {
			if w[i][j] >= 0 && !used[j] {
				used[j] = true
				rec(i+1, total+w[i][j], count+1)
				used[j] = false
			}
		}
	}
	rec(0, 0, 0)
	return bestTotal, bestCount
}

// checkResult verifies that r is a matching of p that uses only feasible pairs with their
// weights, keeps the locked pairs, adds up, and gives every other student a right reason.
func checkResult(t *testing.T, p Problem, r Result) {
	t.Helper()
	w := bestWeights(p)
	roomUsed := map[int]bool{}
	matched := map[int]bool{}
	var total int64
	for _, pr := range r.Pairs {
		if matched[pr.Student] || roomUsed[pr.Room] {
			t.Fatalf("student %d or room %d used twice", pr.Student, pr.Room)
		}
		matched[pr.Student], roomUsed[pr.Room] = true, true
		if w[pr.Student][pr.Room] < 0 {
			t.Fatalf("pair (%d, %d) is not a feasible pair", pr.Student, pr.Room)
		}
		if pr.Weight != w[pr.Student][pr.Room] {
			t.Fatalf("pair (%d, %d) weight %d, edge %d", pr.Student, pr.Room, pr.Weight, w[pr.Student][pr.Room])
		}
		total += pr.Weight
	}
	if total != r.Total {
		t.Fatalf("Total %d, pairs add up to %d", r.Total, total)
	}
	for _, l := range p.Locked {
		found := false
		for _, pr := range r.Pairs {
			found = found || (pr.Student == l.Student && pr.Room == l.Room)
		}
		if !found {
			t.Fatalf("locked pair (%d, %d) not kept", l.Student, l.Room)
		}
	}
	if len(r.Pairs)+len(r.Unmatched) != p.Students {
		t.Fatalf("%d pairs + %d unmatched ≠ %d students", len(r.Pairs), len(r.Unmatched), p.Students)
	}
	for _, u := range r.Unmatched {
		if matched[u.Student] {
			t.Fatalf("student %d both matched and unmatched", u.Student)
		}
		hasEdge := false
		for j := range p.Rooms {
			hasEdge = hasEdge || w[u.Student][j] >= 0
		}
		if want := map[bool]Reason{false: NoFeasibleRoom, true: RoomsTaken}[hasEdge]; u.Reason != want {
			t.Fatalf("student %d: reason %s, want %s", u.Student, u.Reason, want)
		}
		if hasEdge { // every feasible room went to someone (else adding the pair would do better)
			for j := range p.Rooms {
				if w[u.Student][j] >= 0 && !roomUsed[j] {
					t.Fatalf("student %d unmatched while feasible room %d is free", u.Student, j)
				}
			}
		}
	}
}

func TestAgainstExhaustiveSearch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 3000 {
		n, m := 1+rng.IntN(7), 1+rng.IntN(7)
		density := []float64{0.15, 0.3, 0.5, 0.8, 1}[rng.IntN(5)]
		maxW := []int64{0, 1, 3, 10, 10000}[rng.IntN(5)] // small ranges: many ties
		p := randomProblem(rng, n, m, density, maxW, 0.3)
		r, err := Solve(p)
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		checkResult(t, p, r)
		total, count := exhaustive(p)
		if r.Total != total || len(r.Pairs) != count {
			t.Fatalf("trial %d (%d×%d): total %d with %d pairs, exhaustive %d with %d\n%+v", trial, n, m, r.Total, len(r.Pairs), total, count, p)
		}
	}
}

// hungarian is the dense O(N³) Hungarian algorithm (potentials, e-maxx form) on the square
// (students+rooms) completion: student→room at −(w·K+1), student→own "unmatched" column at
// 0, room's "unused" row→its room at 0 and →every "unmatched" column at 0. It returns the
// best total weight and the number of pairs.
func hungarian(p Problem) (int64, int) {
	w := bestWeights(p)
	n, m := p.Students, p.Rooms
	N := n + m
	const inf = int64(1) << 50
	K := int64(n + 1)
	cost := func(i, j int) int64 { // rows: students then rooms' "unused"; columns: rooms then students' "unmatched"
		switch {
		case i < n && j < m:
			if w[i][j] < 0 {
				return inf
			}
			return -(w[i][j]*K + 1)
		case i < n:
			if j-m == i {
				return 0
			}
			return inf
		case j < m:
			if i-n == j {
				return 0
			}
			return inf
		}
		return 0
	}
	u, v := make([]int64, N+1), make([]int64, N+1)
	pm, way := make([]int, N+1), make([]int, N+1)
	for i := 1; i <= N; i++ {
		pm[0] = i
		j0 := 0
		minv := make([]int64, N+1)
		used := make([]bool, N+1)
		for j := range minv {
			minv[j] = inf * 4
		}
		for {
			used[j0] = true
			i0, delta, j1 := pm[j0], inf*4, 0
			for j := 1; j <= N; j++ {
				if !used[j] {
					cur := cost(i0-1, j-1) - u[i0] - v[j]
					if cur < minv[j] {
						minv[j], way[j] = cur, j0
					}
					if minv[j] < delta {
						delta, j1 = minv[j], j
					}
				}
			}
			for j := 0; j <= N; j++ {
				if used[j] {
					u[pm[j]] += delta
					v[j] -= delta
				} else {
					minv[j] -= delta
				}
			}
			j0 = j1
			if pm[j0] == 0 {
				break
			}
		}
		for j0 != 0 {
			j1 := way[j0]
			pm[j0] = pm[j1]
			j0 = j1
		}
	}
	var total int64
	count := 0
	for j := 1; j <= m; j++ {
		if i := pm[j] - 1; i < n {
			total += w[i][j-1]
			count++
		}
	}
	return total, count
}

func TestAgainstHungarian(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for trial := range 60 {
		n, m := 50, 40
		if trial%3 == 1 {
			n, m = 40, 50
		}
		density := []float64{0.05, 0.1, 0.3, 0.7}[trial%4]
		maxW := []int64{2, 20, 10000}[trial%3]
		sameAsHungarian(t, trial, randomProblem(rng, n, m, density, maxW, 0))
	}
}

// sameAsHungarian solves p, checks the result and its optimum against the Hungarian
// algorithm's.
func sameAsHungarian(t *testing.T, trial int, p Problem) {
	t.Helper()
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, p, r)
	if total, count := hungarian(p); r.Total != total || len(r.Pairs) != count {
		t.Fatalf("trial %d: total %d with %d pairs, Hungarian %d with %d", trial, r.Total, len(r.Pairs), total, count)
	}
}

// Structured medium instances: clusters (components), popular students and rooms, ties.
func TestStructuredAgainstHungarian(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for trial := range 20 {
		sameAsHungarian(t, trial, structured(rng, 60, 45, 4))
	}
}

func structured(rng *rand.Rand, n, m, clusters int) Problem {
	p := Problem{Students: n, Rooms: m}
	sc, rc := make([]int, n), make([]int, m)
	sEff, rEff := make([]int64, n), make([]int64, m)
	for i := range sc {
		sc[i], sEff[i] = rng.IntN(clusters), int64(rng.IntN(3))*10
	}
	for j := range rc {
		rc[j], rEff[j] = rng.IntN(clusters), int64(rng.IntN(3))*10
	}
	for i := range n {
		for j := range m {
			if sc[i] == rc[j] && rng.IntN(3) > 0 {
				p.Edges = append(p.Edges, Edge{Student: int32(i), Room: int32(j), Weight: 40 + sEff[i] + rEff[j] + int64(rng.IntN(3))*5})
			}
		}
	}
	return p
}

func TestLockedPairs(t *testing.T) {
	p := Problem{Students: 3, Rooms: 2, Edges: []Edge{{0, 0, 100}, {1, 0, 90}, {1, 1, 10}, {2, 1, 50}}}
	r, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 150 {
		t.Fatalf("total %d, want 150", r.Total)
	}
	p.Locked = []Pair{{Student: 1, Room: 0}}
	r, err = Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	checkResult(t, p, r)
	if r.Total != 140 || len(r.Unmatched) != 1 || r.Unmatched[0] != (Unmatched{Student: 0, Reason: RoomsTaken}) {
		t.Fatalf("locked: %+v", r)
	}
	for name, locked := range map[string][]Pair{
		"infeasible pair":      {{Student: 0, Room: 1}},
		"student locked twice": {{Student: 1, Room: 0}, {Student: 1, Room: 1}},
		"room locked twice":    {{Student: 0, Room: 0}, {Student: 1, Room: 0}},
		"out of range":         {{Student: 5, Room: 0}},
	} {
		p.Locked = locked
		if _, err := Solve(p); !errors.Is(err, ErrLocked) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

func TestReasonsAndEdgeCases(t *testing.T) {
	r, err := Solve(Problem{Students: 2, Rooms: 0})
	if err != nil || len(r.Unmatched) != 2 || r.Unmatched[1].Reason != NoFeasibleRoom {
		t.Fatalf("no rooms: %+v %v", r, err)
	}
	// A zero-weight pair still houses a student.
	r, _ = Solve(Problem{Students: 1, Rooms: 1, Edges: []Edge{{0, 0, 0}}})
	if len(r.Pairs) != 1 {
		t.Fatalf("zero-weight pair left out: %+v", r)
	}
	for name, p := range map[string]Problem{
		"negative weight": {Students: 1, Rooms: 1, Edges: []Edge{{0, 0, -1}}},
		"too heavy":       {Students: 1, Rooms: 1, Edges: []Edge{{0, 0, MaxWeight + 1}}},
		"bad student":     {Students: 1, Rooms: 1, Edges: []Edge{{1, 0, 1}}},
		"bad room":        {Students: 1, Rooms: 1, Edges: []Edge{{0, -1, 1}}},
	} {
		if _, err := Solve(p); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}

// checkDuals verifies the LP optimality certificate the solver ends with: every row on an
// option of zero reduced cost, no edge of negative reduced cost, column potentials ≤ 0 and
// 0 on free columns.
func checkDuals(t *testing.T, s *solver) {
	t.Helper()
	g := s.g
	for r := range g.rows {
		r := int32(r)
		if s.rowCol[r] == unassigned {
			t.Fatalf("row %d left unassigned", r)
		}
		u := s.rowU(r)
		if -s.vd[r]-u < 0 {
			t.Fatalf("row %d: negative reduced cost %d to its unmatched column", r, -s.vd[r]-u)
		}
		for e := g.start[r]; e < g.start[r+1]; e++ {
			if rc := g.cost[e] - s.cols[g.col[e]].v - u; rc < 0 {
				t.Fatalf("row %d: edge to %d has reduced cost %d", r, g.col[e], rc)
			}
		}
	}
	for c := range g.cols {
		if cs := s.cols[c]; cs.v > 0 || (cs.row < 0 && cs.v != 0) {
			t.Fatalf("column %d (row %d) has potential %d", c, cs.row, cs.v)
		}
	}
}

func TestOptimalityCertificate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for trial := range 500 {
		var p Problem
		if trial%2 == 0 {
			p = randomProblem(rng, 1+rng.IntN(60), 1+rng.IntN(60), []float64{0.05, 0.2, 0.6}[trial%3], []int64{1, 10, 1000}[trial%3], 0)
		} else {
			p = structured(rng, 80, 60, 3)
		}
		rowOf, colOf := make([]int32, p.Students), make([]int32, p.Rooms)
		for i := range rowOf {
			rowOf[i] = int32(i)
		}
		for j := range colOf {
			colOf[j] = int32(j)
		}
		s := newSolver(buildGraph(p.Edges, rowOf, colOf, p.Students, p.Rooms))
		s.solve()
		checkDuals(t, s)
	}
}

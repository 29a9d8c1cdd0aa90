// Package assign computes allocation runs: the maximum-weight matching of students to rooms
// over the sparse graph of feasible pairs. Exact (integer weights, no greedy step), not every
// student need be matched, pairs a coordinator locked are kept, and every unmatched student
// comes with a reason. Pure: no I/O.
//
// Method: the problem becomes a rectangular min-cost assignment where every student must be
// assigned, either to a room (cost −w') or to a private "stay unmatched" column (cost 0),
// with w' = w·(s+1) + 1 for s free students: maximising Σw' maximises the total weight first
// and, among the optimal matchings, the number of pairs (a feasible pair of score 0 is
// still a room for a student). It is solved by Jonker–Volgenant: passes of augmenting row
// reduction (an auction step that assigns most students cheaply; JV's two, and more while
// each still assigns a tenth of the students left, up to maxARRPasses), then, for each
// student left, a shortest augmenting path found by Dijkstra on reduced costs (column
// potentials, implicit row potentials, a binary heap, early exit at the nearest free
// column). Every row ends on an option of zero reduced cost, no reduced cost is negative and
// free rooms keep potential 0: complementary slackness, hence an exact optimum.
//
// Verified against exhaustive search (3000 instances up to 7×7 with ties and locked pairs),
// a dense Hungarian reference (50×40), the LP certificate above, and scipy's
// min_weight_full_bipartite_matching (services/matching/bench).
package assign

import (
	"errors"
	"fmt"
	"slices"
)

// Edge is a feasible pair with its weight (e.g. the score in hundredths of a point).
type Edge struct {
	Student, Room int32
	Weight        int64
}

// Pair is a student placed in a room.
type Pair struct {
	Student, Room int
	Weight        int64
}

// Problem is an allocation run: students 0..Students−1, rooms 0..Rooms−1, the feasible
// pairs, and the pairs a coordinator locked (their Weight is ignored: the edge's is used).
type Problem struct {
	Students, Rooms int
	Edges           []Edge
	Locked          []Pair
}

// Reason says why a student is left unmatched.
type Reason string

const (
	// NoFeasibleRoom: the student has no feasible pair at all.
	NoFeasibleRoom Reason = "NO_FEASIBLE_ROOM"
	// RoomsTaken: the student has feasible pairs, but the optimum (or a locked pair) gives
	// each of those rooms to another student.
	RoomsTaken Reason = "ROOMS_TAKEN"
)

// Unmatched is a student left without a room.
type Unmatched struct {
	Student int
	Reason  Reason
}

// Result is an optimal allocation: Pairs (locked ones included) by student, their Total
// weight, and the Unmatched students by student.
type Result struct {
	Pairs     []Pair
	Total     int64
	Unmatched []Unmatched
}

// MaxWeight bounds edge weights, so that the arithmetic cannot overflow.
const MaxWeight = 1 << 30

// ErrLocked reports locked pairs that cannot be kept.
var ErrLocked = errors.New("assign: locked pair")

// Solve returns a maximum-weight matching of p. Edges with the same student and room count
// once, with the largest weight. Among matchings of maximum total weight it returns one with
// the most pairs.
func Solve(p Problem) (Result, error) {
	n, m := p.Students, p.Rooms
	if n < 0 || m < 0 || n > 1<<28 || m > 1<<28 {
		return Result{}, fmt.Errorf("assign: %d students, %d rooms", n, m)
	}
	degree := make([]int32, n+1)
	for _, e := range p.Edges {
		if e.Student < 0 || int(e.Student) >= n || e.Room < 0 || int(e.Room) >= m {
			return Result{}, fmt.Errorf("assign: edge (%d, %d) out of range", e.Student, e.Room)
		}
		if e.Weight < 0 || e.Weight > MaxWeight {
			return Result{}, fmt.Errorf("assign: edge (%d, %d) weight %d outside 0..%d", e.Student, e.Room, e.Weight, MaxWeight)
		}
		degree[e.Student]++
	}

	// Locked pairs: their student and room leave the problem.
	lockedRoom := make([]bool, m)
	lockedStudent := make([]int32, n) // room+1 of the student's locked pair
	for _, l := range p.Locked {
		if l.Student < 0 || l.Student >= n || l.Room < 0 || l.Room >= m {
			return Result{}, fmt.Errorf("%w (%d, %d) out of range", ErrLocked, l.Student, l.Room)
		}
		if lockedStudent[l.Student] != 0 || lockedRoom[l.Room] {
			return Result{}, fmt.Errorf("%w (%d, %d): student or room locked twice", ErrLocked, l.Student, l.Room)
		}
		lockedStudent[l.Student] = int32(l.Room) + 1
		lockedRoom[l.Room] = true
	}
	lockedWeight := make([]int64, n)
	for i := range lockedWeight {
		lockedWeight[i] = -1
	}
	for _, e := range p.Edges {
		if lockedStudent[e.Student] == e.Room+1 {
			lockedWeight[e.Student] = max(lockedWeight[e.Student], e.Weight)
		}
	}
	var res Result
	for i, r := range lockedStudent {
		if r != 0 && lockedWeight[i] < 0 {
			return Result{}, fmt.Errorf("%w (%d, %d) is not a feasible pair", ErrLocked, i, r-1)
		}
	}

	// Free students and rooms, renumbered.
	rowOf := make([]int32, n) // student → row, -1 when locked
	var students []int32      // row → student
	for i := range n {
		rowOf[i] = -1
		if lockedStudent[i] == 0 {
			rowOf[i] = int32(len(students))
			students = append(students, int32(i))
		}
	}
	colOf := make([]int32, m)
	var rooms []int32
	for j := range m {
		colOf[j] = -1
		if !lockedRoom[j] {
			colOf[j] = int32(len(rooms))
			rooms = append(rooms, int32(j))
		}
	}

	g := buildGraph(p.Edges, rowOf, colOf, len(students), len(rooms))
	// Potentials and path lengths stay within (2·(rows+cols)+2) × the largest |cost|.
	maxCost := int64(1)
	for _, c := range g.cost {
		maxCost = max(maxCost, -c)
	}
	if maxCost > (1<<62)/int64(2*(g.rows+g.cols)+2) {
		return Result{}, fmt.Errorf("assign: weights up to %d are too large for %d students and %d rooms", maxCost/(int64(g.rows)+1), g.rows, g.cols)
	}
	s := newSolver(g)
	s.solve()

	for i := range n {
		if r := lockedStudent[i]; r != 0 {
			res.Pairs = append(res.Pairs, Pair{Student: i, Room: int(r - 1), Weight: lockedWeight[i]})
			res.Total += lockedWeight[i]
			continue
		}
		row := rowOf[i]
		if c := s.rowCol[row]; c >= 0 {
			w := g.weight[s.rowEdge[row]]
			res.Pairs = append(res.Pairs, Pair{Student: i, Room: int(rooms[c]), Weight: w})
			res.Total += w
		} else if degree[i] == 0 {
			res.Unmatched = append(res.Unmatched, Unmatched{Student: i, Reason: NoFeasibleRoom})
		} else {
			res.Unmatched = append(res.Unmatched, Unmatched{Student: i, Reason: RoomsTaken})
		}
	}
	return res, nil
}

// graph is the free part of the problem in compressed rows: the edges of row r are
// start[r]..start[r+1], to columns col[e], with cost[e] = −(weight[e]·(rows+1) + 1).
type graph struct {
	rows, cols int
	start      []int32
	col        []int32
	cost       []int64
	weight     []int64
}

func buildGraph(edges []Edge, rowOf, colOf []int32, rows, cols int) *graph {
	g := &graph{rows: rows, cols: cols, start: make([]int32, rows+1)}
	for _, e := range edges {
		if r, c := rowOf[e.Student], colOf[e.Room]; r >= 0 && c >= 0 {
			g.start[r+1]++
		}
	}
	for r := range rows {
		g.start[r+1] += g.start[r]
	}
	ne := g.start[rows]
	g.col, g.weight = make([]int32, ne), make([]int64, ne)
	fill := slices.Clone(g.start[:rows])
	for _, e := range edges {
		if r, c := rowOf[e.Student], colOf[e.Room]; r >= 0 && c >= 0 {
			g.col[fill[r]], g.weight[fill[r]] = c, e.Weight
			fill[r]++
		}
	}
	// Duplicate pairs: keep the largest weight, compact the rows.
	seen := make([]int32, cols) // position+1 of the column in the current row
	out := int32(0)
	for r := range rows {
		lo, hi := g.start[r], g.start[r+1]
		g.start[r] = out
		rowStart := out
		for e := lo; e < hi; e++ {
			c := g.col[e]
			if p := seen[c]; p > rowStart {
				g.weight[p-1] = max(g.weight[p-1], g.weight[e])
				continue
			}
			g.col[out], g.weight[out] = c, g.weight[e]
			out++
			seen[c] = out
		}
	}
	g.start[rows] = out
	g.col, g.weight = g.col[:out], g.weight[:out]
	// Each row's edges by decreasing weight (increasing cost), so that scans can stop early:
	// potentials are ≤ 0, so cost − v ≥ cost.
	var keys []uint64
	for r := range rows {
		lo, hi := g.start[r], g.start[r+1]
		keys = keys[:0]
		for e := lo; e < hi; e++ {
			keys = append(keys, uint64(MaxWeight-g.weight[e])<<32|uint64(g.col[e]))
		}
		slices.Sort(keys)
		for i, k := range keys {
			g.col[lo+int32(i)], g.weight[lo+int32(i)] = int32(uint32(k)), MaxWeight-int64(k>>32)
		}
	}
	mult := int64(rows) + 1
	g.cost = make([]int64, out)
	for e, w := range g.weight {
		g.cost[e] = -(w*mult + 1)
	}
	return g
}

// maxARRPasses bounds the passes of augmenting row reduction.
const maxARRPasses = 32

const (
	unassigned = -1 // a row not processed yet
	dummy      = -2 // a row on its "stay unmatched" column
)

// solver is the state of Jonker–Volgenant on a graph. Reduced cost of edge (r, c):
// cost − u[r] − v[c], with u implicit: u[r] = cost of r's assigned edge − v[its column] (for
// the "unmatched" column, cost 0 and potential vd[r]). Invariant: every assigned row is on an
// option of least cost − v; v ≤ 0, and v = 0 on every free column.
type solver struct {
	g       *graph
	cols    []colState
	vd      []int64 // potentials of the rows' private "unmatched" columns
	rowCol  []int32 // column of each row, or unassigned, or dummy
	rowEdge []int32 // edge of each row assigned to a column
	rowCost []int64 // cost of that edge

	// Dijkstra scratch, reused across searches.
	pred    []int32 // row that labelled the column
	predE   []int32 // edge by which it was labelled
	settled []int32
	heap    heap
	round   int32
}

// colState is what a search reads of a column, together for locality.
type colState struct {
	v     int64 // potential
	dist  int64 // label of the current search, valid when stamp is its round
	stamp int32
	row   int32 // row assigned to the column, -1 when free
}

func newSolver(g *graph) *solver {
	s := &solver{
		g: g, cols: make([]colState, g.cols), vd: make([]int64, g.rows),
		rowCol: make([]int32, g.rows), rowEdge: make([]int32, g.rows), rowCost: make([]int64, g.rows),
		pred: make([]int32, g.cols), predE: make([]int32, g.cols),
	}
	for r := range s.rowCol {
		s.rowCol[r] = unassigned
	}
	for c := range s.cols {
		s.cols[c].row = -1
	}
	return s
}

func (s *solver) solve() {
	free := make([]int32, 0, s.g.rows)
	for r := range s.g.rows {
		if s.g.start[r] == s.g.start[r+1] {
			s.rowCol[r] = dummy // no edge: unmatched, trivially optimal
			continue
		}
		free = append(free, int32(r))
	}
	// JV runs two passes of augmenting row reduction; on instances with many ties and
	// competition more pay off, as long as each assigns a good share of the rows left.
	for pass := 0; pass < maxARRPasses && len(free) > 0; pass++ {
		before := len(free)
		free = s.augmentingRowReduction(free)
		if pass >= 1 && len(free)*10 > before*9 {
			break
		}
	}
	for _, r := range free {
		s.augment(r)
	}
}

// augmentingRowReduction is JV's auction step: each free row takes its cheapest option,
// lowering that column's potential to its second cheapest so the row stays on a cheapest
// option; the row it evicts is processed next (strict price change) or queued (tie). Returns
// the rows still free.
func (s *solver) augmentingRowReduction(free []int32) []int32 {
	g := s.g
	next := make([]int32, 0, len(free))
	k := 0
	for k < len(free) {
		r := free[k]
		k++
		// Cheapest and second cheapest option; the dummy first (cost 0 − vd[r]).
		u1, u2 := -s.vd[r], int64(1<<62)
		j1, e1, j2, e2 := int32(dummy), int32(-1), int32(-1), int32(-1)
		for e := g.start[r]; e < g.start[r+1]; e++ {
			if g.cost[e] >= u2 {
				break // edges by increasing cost, v ≤ 0: no later edge is cheaper
			}
			c := g.col[e]
			h := g.cost[e] - s.cols[c].v
			if h < u2 {
				if h >= u1 {
					u2, j2, e2 = h, c, e
				} else {
					u2, j2, e2 = u1, j1, e1
					u1, j1, e1 = h, c, e
				}
			}
		}
		prev := int32(-1) // row evicted
		if u1 < u2 {
			if j1 == dummy {
				s.vd[r] -= u2 - u1
			} else {
				s.cols[j1].v -= u2 - u1
				prev = s.cols[j1].row
			}
		} else if j1 != dummy && s.cols[j1].row >= 0 { // tie: prefer the second if the first is taken
			j1, e1 = j2, e2
			if j1 != dummy {
				prev = s.cols[j1].row
			}
		}
		if j1 == dummy {
			s.rowCol[r] = dummy
		} else {
			s.rowCol[r], s.rowEdge[r], s.rowCost[r], s.cols[j1].row = j1, e1, g.cost[e1], r
		}
		if prev >= 0 {
			s.rowCol[prev] = unassigned
			if u1 < u2 {
				k--
				free[k] = prev // process the evicted row now
			} else {
				next = append(next, prev)
			}
		}
	}
	return next
}

// rowU is the implicit potential of an assigned row.
func (s *solver) rowU(r int32) int64 {
	if c := s.rowCol[r]; c >= 0 {
		return s.rowCost[r] - s.cols[c].v
	}
	return -s.vd[r]
}

// augment assigns the free row r0 along a shortest augmenting path (Dijkstra on reduced
// costs), to a free column or to the "unmatched" column of a row on the path.
func (s *solver) augment(r0 int32) {
	g := s.g
	s.round++
	round := s.round
	s.settled = s.settled[:0]
	s.heap.reset()

	// Sink: a free column (sinkCol ≥ 0) or the dummy of row sinkRow.
	best := -s.vd[r0]
	sinkCol, sinkRow := int32(-1), r0

	label := func(r int32, base int64) {
		for e := g.start[r]; e < g.start[r+1]; e++ {
			if base+g.cost[e] >= best {
				break // edges by increasing cost, v ≤ 0: no later edge is closer
			}
			c := g.col[e]
			d := base + g.cost[e] - s.cols[c].v
			if d >= best {
				continue
			}
			if s.cols[c].stamp == round {
				if d >= s.cols[c].dist {
					continue
				}
			} else {
				s.cols[c].stamp = round
			}
			s.cols[c].dist, s.pred[c], s.predE[c] = d, r, e
			if s.cols[c].row < 0 {
				best, sinkCol = d, c
				continue
			}
			s.heap.push(d, c)
		}
	}
	label(r0, 0)
	for s.heap.len() > 0 {
		d, c := s.heap.pop()
		if d >= best {
			break
		}
		if d != s.cols[c].dist {
			continue // stale entry: the column was labelled again, closer
		}
		s.settled = append(s.settled, c)
		r := s.cols[c].row
		base := d - s.rowU(r)
		if dd := base - s.vd[r]; dd < best { // r's own "unmatched" column
			best, sinkCol, sinkRow = dd, -1, r
		}
		label(r, base)
	}

	// Potentials of the settled columns (implicit row potentials follow).
	for _, c := range s.settled {
		s.cols[c].v += s.cols[c].dist - best
	}

	// Augment along the path.
	var c int32
	if sinkCol >= 0 {
		c = sinkCol
	} else {
		c = s.rowCol[sinkRow]
		s.rowCol[sinkRow] = dummy
		if sinkRow == r0 {
			return
		}
		s.cols[c].row = -1
	}
	for {
		r := s.pred[c]
		prev := s.rowCol[r]
		e := s.predE[c]
		s.rowCol[r], s.rowEdge[r], s.rowCost[r], s.cols[c].row = c, e, g.cost[e], r
		if r == r0 {
			return
		}
		c = prev
	}
}

// heap is a binary min-heap of (distance, column) with lazy deletion.
type heap struct {
	key []int64
	col []int32
}

func (h *heap) reset()   { h.key, h.col = h.key[:0], h.col[:0] }
func (h *heap) len() int { return len(h.key) }

func (h *heap) push(k int64, c int32) {
	h.key, h.col = append(h.key, k), append(h.col, c)
	i := len(h.key) - 1
	for i > 0 {
		p := (i - 1) / 2
		if h.key[p] <= k {
			break
		}
		h.key[i], h.col[i] = h.key[p], h.col[p]
		i = p
	}
	h.key[i], h.col[i] = k, c
}

func (h *heap) pop() (int64, int32) {
	k, c := h.key[0], h.col[0]
	n := len(h.key) - 1
	lk, lc := h.key[n], h.col[n]
	h.key, h.col = h.key[:n], h.col[:n]
	if n > 0 {
		i := 0
		for {
			l := 2*i + 1
			if l >= n {
				break
			}
			if r := l + 1; r < n && h.key[r] < h.key[l] {
				l = r
			}
			if h.key[l] >= lk {
				break
			}
			h.key[i], h.col[i] = h.key[l], h.col[l]
			i = l
		}
		h.key[i], h.col[i] = lk, lc
	}
	return k, c
}

package score

import (
	"math"
	"slices"
	"sort"

	"github.com/cohabit/cohabit/services/matching/internal/geo"
)

// Candidate is a student found for a room by a Ranker.
type Candidate struct {
	// Index is the student's index in the slice given to NewRanker.
	Index     int
	StudentID string
	// Points and Score are those of Score(room, student, weights).
	Points int
	Score  float64
}

// RankerOptions tune a Ranker; the zero value is the default.
type RankerOptions struct {
	// CellDeg is the side of the spatial prefilter's grid cells, in degrees (default 0.1,
	// about 11 km of latitude).
	CellDeg float64
}

// Ranker holds many students in a column layout (one slice per field) for searching them
// against one room: TopK scans all of them, TopKNear only those whose place of study lies in
// grid cells the room can reach, Feasible lists every feasible one. Results are identical to
// calling Score on each pair. A Ranker is immutable once built and safe for concurrent use.
//
// Layout: students are sorted by commute tier (maximum commute banded by powers of two of
// km), then by grid cell of their place of study, then by how much they offer (so a top-k
// search meets strong candidates early); each column is a slice in that order.
//
// A search (k ≤ 64 keeps its heap on the stack; the returned slice is its only allocation):
//  1. a float32 chord bound on the distance, 4 loads per student, rejects those beyond their
//     own maximum commute (conservative: chord ≤ arc, with a slack above float32 rounding);
//  2. once the top k is full, an upper bound of the score (soft criteria from per-room
//     tables, commute from the chord, duration with reciprocals, plus a slack far above
//     rounding) skips the students who cannot beat the k-th best (ties: lower index);
//  3. the rest get the hard constraints, then the exact haversine distance and the exact
//     score, with the same functions and the same order of additions as Score, hence the
//     same points bit for bit.
//
// TopKNear scans, for each tier, only the cells within the tier's largest maximum commute of
// the room (a spherical cap: rows within the angular radius, columns within
// asin(sin r / cos φ), wrapped at the date line, every column near the poles).
type Ranker struct {
	students []Student // in the ranker's order
	orig     []int32   // index in NewRanker's slice
	pos      []int32   // position in the ranker of NewRanker's index i

	// columns, in the ranker's order
	vx, vy, vz []float32 // unit vector of the place of study
	maxC2      []float32 // squared unit chord beyond which the student is surely too far
	prog       []int32
	target     []int32 // interned target room, -1 for none
	flags      []uint8 // smokes | hasPets<<1 | acceptsSmokers<<2 | acceptsPets<<3
	gender     []Gender
	budget     []int64
	in, out    []Day // out: NoEnd as endless
	wantedEnd  []Day
	services   []ServiceSet
	hours      []int32
	nights     []int32
	hoursIdx   []uint8 // hours clamped to 0..ratioTableMax, for the query's table
	nightsIdx  []uint8
	invLimit   []float64 // 1/MaxCommuteKm, 0 without limit (upper bounds only)
	invWanted  []float64 // 1/days of the wished stay, 0 when none (upper bounds only)
	langs      []LanguageSet
	rhythm     []Rhythm
	maxKm      []float64
	pts        []geo.Point

	progIndex   map[string]int32
	targetIndex map[string]int32

	cellDeg float64
	numCols int64
	tiers   []tier
	// [unlimitedLo, len) are the students with no commute limit: TopKNear scans them all.
	unlimitedLo int
}

// A tier is the students whose maximum commute falls in one band, sorted by grid cell.
type tier struct {
	maxKm float64
	keys  []int64 // row<<32 | col of each non-empty cell, sorted
	start []int32 // position in the ranker of each cell's first student; start[len(keys)] ends the last
}

// Slack added to the float32 chord bound: float32 unit vectors are off by less than a metre.
const chord32SlackKm = 0.02

// NewRanker builds a ranker of students. The slice is copied.
func NewRanker(students []Student, opts RankerOptions) *Ranker {
	cell := opts.CellDeg
	if !(cell > 0 && cell <= 90) {
		cell = 0.1
	}
	p := &Ranker{cellDeg: cell, numCols: int64(math.Ceil(360 / cell)), progIndex: map[string]int32{}, targetIndex: map[string]int32{}}

	// Order: by commute tier, then by grid cell; students with no limit last.
	type ord struct {
		tier    int
		key     int64
		quality int
		i       int
	}
	ords := make([]ord, len(students))
	for i, s := range students {
		t, key := math.MaxInt, int64(0)
		if s.MaxCommuteKm > 0 && knownPlace(s.StudyLat, s.StudyLng) {
			t = commuteTier(s.MaxCommuteKm)
			key = p.cellKey(s.StudyLat, s.StudyLng)
		}
		ords[i] = ord{t, key, generosity(s), i}
	}
	sort.SliceStable(ords, func(a, b int) bool {
		if ords[a].tier != ords[b].tier {
			return ords[a].tier < ords[b].tier
		}
		if ords[a].key != ords[b].key {
			return ords[a].key < ords[b].key
		}
		return ords[a].quality > ords[b].quality
	})

	n := len(students)
	p.students = make([]Student, n)
	p.orig, p.pos = make([]int32, n), make([]int32, n)
	p.vx, p.vy, p.vz, p.maxC2 = make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
	p.prog, p.target, p.flags, p.gender = make([]int32, n), make([]int32, n), make([]uint8, n), make([]Gender, n)
	p.budget, p.in, p.out, p.wantedEnd = make([]int64, n), make([]Day, n), make([]Day, n), make([]Day, n)
	p.services, p.hours, p.nights, p.langs, p.rhythm = make([]ServiceSet, n), make([]int32, n), make([]int32, n), make([]LanguageSet, n), make([]Rhythm, n)
	p.maxKm, p.pts = make([]float64, n), make([]geo.Point, n)
	p.hoursIdx, p.nightsIdx = make([]uint8, n), make([]uint8, n)
	p.invLimit, p.invWanted = make([]float64, n), make([]float64, n)
	p.unlimitedLo = n

	intern := func(m map[string]int32, k string) int32 {
		v, ok := m[k]
		if !ok {
			v = int32(len(m))
			m[k] = v
		}
		return v
	}
	for j, o := range ords {
		s := students[o.i]
		p.students[j] = s
		p.orig[j], p.pos[o.i] = int32(o.i), int32(j)
		known := knownPlace(s.StudyLat, s.StudyLng)
		if known { // an unknown place stays at the origin: every chord passes maxC2 = +Inf
			v := geo.UnitVec(s.StudyLat, s.StudyLng)
			p.vx[j], p.vy[j], p.vz[j] = float32(v.X), float32(v.Y), float32(v.Z)
		}
		if o.tier != math.MaxInt {
			c := (s.MaxCommuteKm + chord32SlackKm) / geo.EarthRadiusKm
			p.maxC2[j] = float32(c * c * (1 + 1e-6))
		} else {
			// No limit, or a place unknown (its limit cannot be checked): in the tail every
			// search scans.
			p.maxC2[j] = float32(math.Inf(1))
			if p.unlimitedLo == n {
				p.unlimitedLo = j
			}
		}
		p.prog[j] = intern(p.progIndex, s.ProgrammeID)
		p.target[j] = -1
		if s.TargetRoomID != "" {
			p.target[j] = intern(p.targetIndex, s.TargetRoomID)
		}
		p.flags[j] = packFlags(s.Smokes, s.HasPets, s.AcceptsSmokers, s.AcceptsPets)
		p.gender[j] = s.Gender
		p.budget[j] = s.BudgetCents
		p.in[j], p.out[j], p.wantedEnd[j] = studentPeriod(s)
		p.services[j] = s.ServicesOffered & AllServices
		p.hours[j] = clampInt32(s.HoursOffered)
		p.nights[j] = clampInt32(s.NightsPresent)
		p.hoursIdx[j] = uint8(min(max(s.HoursOffered, 0), ratioTableMax))
		p.nightsIdx[j] = uint8(min(max(s.NightsPresent, 0), ratioTableMax))
		p.langs[j] = s.Languages
		r := s.Rhythm
		if r > RhythmFlexible {
			r = RhythmUnset // rhythmValue treats both alike
		}
		p.rhythm[j] = r
		p.maxKm[j] = s.MaxCommuteKm
		if s.MaxCommuteKm > 0 && known { // unknown: the commute's bound stays 1
			p.invLimit[j] = 1 / s.MaxCommuteKm
		}
		if wanted := int64(p.wantedEnd[j]) - int64(p.in[j]) + 1; wanted > 0 {
			p.invWanted[j] = 1 / float64(wanted)
		}
		p.pts[j] = geo.NewPoint(s.StudyLat, s.StudyLng)
	}

	// Grid of each tier.
	for lo := 0; lo < p.unlimitedLo; {
		t := ords[lo].tier
		hi := lo
		tr := tier{}
		for hi < p.unlimitedLo && ords[hi].tier == t {
			if k := ords[hi].key; len(tr.keys) == 0 || tr.keys[len(tr.keys)-1] != k {
				tr.keys = append(tr.keys, k)
				tr.start = append(tr.start, int32(hi))
			}
			tr.maxKm = max(tr.maxKm, p.maxKm[hi])
			hi++
		}
		tr.start = append(tr.start, int32(hi))
		p.tiers = append(p.tiers, tr)
		lo = hi
	}
	return p
}

// generosity orders the students of a grid cell: those who offer the most come first, so
// that a top-k search raises its entry bar early and skips more of the others. (Order only
// changes speed: ties are broken by index.)
func generosity(s Student) int {
	g := 3*s.ServicesOffered.Count() + min(max(s.HoursOffered, 0), 10) + 2*min(max(s.NightsPresent, 0), 7)
	if s.Rhythm == RhythmFlexible {
		g += 3
	}
	return g
}

func clampInt32(v int) int32 { return int32(min(max(v, math.MinInt32), math.MaxInt32)) }

func packFlags(smokes, hasPets, acceptsSmokers, acceptsPets bool) uint8 {
	var f uint8
	if smokes {
		f |= 1
	}
	if hasPets {
		f |= 2
	}
	if acceptsSmokers {
		f |= 4
	}
	if acceptsPets {
		f |= 8
	}
	return f
}

// commuteTier bands maximum commutes by powers of two of km.
func commuteTier(km float64) int {
	_, e := math.Frexp(km)
	return e
}

func (p *Ranker) row(lat float64) int64 {
	return int64(math.Floor((min(max(lat, -90), 90) + 90) / p.cellDeg))
}

func (p *Ranker) col(lng float64) int64 {
	c := int64(math.Floor(normLng(lng) / p.cellDeg))
	return min(max(c, 0), p.numCols-1)
}

// normLng maps a longitude to [0, 360).
func normLng(lng float64) float64 {
	l := math.Mod(lng+180, 360)
	if l < 0 {
		l += 360
	}
	return l
}

func (p *Ranker) cellKey(lat, lng float64) int64 { return p.row(lat)<<32 | p.col(lng) }

// Len is the number of students in the ranker.
func (p *Ranker) Len() int { return len(p.students) }

// Student returns the student of NewRanker's slice at index i (for Score on the candidates
// found, to get their breakdown).
func (p *Ranker) Student(i int) Student {
	return p.students[p.pos[i]]
}

// query is a room prepared for scanning a ranker.
type query struct {
	prog, target int32
	allowed      [16]bool
	genderPref   Gender
	contribution int64
	from, until  Day
	minStay      int32
	vx, vy, vz   float32
	pt           geo.Point
	// unknown: the room's position is unknown; no distance can be bounded, every student is
	// scanned and the commute criterion is Neutral.
	unknown bool
	points  prepared
	// Contributions (points × value) by the student's value of a criterion.
	servC      [128]float64
	rhythmC    [4]float64
	langC      [3]float64 // by langCode
	hoursC     [ratioTableMax + 1]float64
	nightsC    [ratioTableMax + 1]float64
	hoursTab   bool // hoursC holds (the host hopes for at most ratioTableMax hours)
	nightsTab  bool
	hostHours  int
	hostNights int
	hostLangs  LanguageSet
	invMinStay float64 // 1/minStay, 0 without minimum
}

// ratioTableMax bounds the hours and nights the query tables cover: ratioValue(x, wanted) is
// ratioValue(min(max(x, 0), ratioTableMax), wanted) whenever wanted ≤ ratioTableMax.
const ratioTableMax = 64

func langCode(host, student LanguageSet) int {
	switch {
	case host == 0 || student == 0:
		return 0
	case host&student != 0:
		return 1
	}
	return 2
}

func (p *Ranker) prepareQuery(q *query, room Room, w Weights) {
	*q = query{prog: -2, target: -2}
	if v, ok := p.progIndex[room.ProgrammeID]; ok {
		q.prog = v
	}
	if v, ok := p.targetIndex[room.ID]; ok {
		q.target = v
	}
	h := room.Host
	for f := range 16 {
		q.allowed[f] = smokingOK(room.SmokingAllowed, h.Smokes, f&1 != 0, f&4 != 0) &&
			petsOK(room.PetsAllowed, h.HasPets, f&2 != 0, f&8 != 0)
	}
	q.genderPref = h.GenderPreference
	q.contribution = room.ContributionCents
	q.from, q.until = roomPeriod(room)
	q.minStay = minStayDays(room.MinStayMonths)
	if q.minStay > 0 {
		q.invMinStay = 1 / float64(q.minStay)
	}
	q.unknown = !knownPlace(room.Lat, room.Lng)
	if !q.unknown {
		v := geo.UnitVec(room.Lat, room.Lng)
		q.vx, q.vy, q.vz = float32(v.X), float32(v.Y), float32(v.Z)
	}
	q.pt = geo.NewPoint(room.Lat, room.Lng)
	q.points = prepare(w)
	for m := range 128 {
		q.servC[m] = float64(q.points.points[1] * servicesValue(h.ServicesWanted, ServiceSet(m)))
	}
	for r := range 4 {
		q.rhythmC[r] = float64(q.points.points[5] * rhythmValue(h.Rhythm, Rhythm(r)))
	}
	q.langC = [3]float64{
		float64(q.points.points[4] * languagesValue(0, 0)),
		float64(q.points.points[4] * languagesValue(1, 1)),
		float64(q.points.points[4] * languagesValue(1, 2)),
	}
	q.hostHours, q.hostNights, q.hostLangs = h.HoursWanted, h.NightsWanted, h.Languages
	q.hoursTab, q.nightsTab = q.hostHours <= ratioTableMax, q.hostNights <= ratioTableMax
	for x := range ratioTableMax + 1 {
		q.hoursC[x] = float64(q.points.points[2] * ratioValue(x, q.hostHours))
		q.nightsC[x] = float64(q.points.points[3] * ratioValue(x, q.hostNights))
	}
}

// entry is a candidate in a top k: points and index in NewRanker's slice.
type entry struct{ points, index int32 }

// worse orders entries: fewer points, then a higher index, is worse.
func worse(a, b entry) bool {
	return a.points < b.points || (a.points == b.points && a.index > b.index)
}

// topK is a min-heap (worst at the root) of at most k entries: h[:n], len(h) ≥ k. (No append:
// the heap's storage can then stay on the caller's stack.)
type topK struct {
	k, n int
	h    []entry
}

func (t *topK) full() bool { return t.n == t.k }

func (t *topK) push(c entry) {
	if t.n < t.k {
		t.h[t.n] = c
		t.n++
		for i := t.n - 1; i > 0; { // sift up
			parent := (i - 1) / 2
			if !worse(t.h[i], t.h[parent]) {
				break
			}
			t.h[i], t.h[parent] = t.h[parent], t.h[i]
			i = parent
		}
		return
	}
	t.h[0] = c
	for i := 0; ; { // sift down
		l, r, m := 2*i+1, 2*i+2, i
		if l < t.n && worse(t.h[l], t.h[m]) {
			m = l
		}
		if r < t.n && worse(t.h[r], t.h[m]) {
			m = r
		}
		if m == i {
			return
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
}

// TopK returns the k best feasible students for the room, best first (more points, then a
// lower index), scanning every student. It allocates the returned slice only.
func (p *Ranker) TopK(room Room, k int, w Weights) []Candidate { return p.search(room, k, w, false) }

// TopKNear is TopK scanning only the students whose place of study may lie within their
// maximum commute of the room (grid cells within the largest maximum commute of each tier),
// plus those with no limit. Same result as TopK.
func (p *Ranker) TopKNear(room Room, k int, w Weights) []Candidate { return p.search(room, k, w, true) }

// search is TopK, or TopKNear when near. One body for both, so that the top k's storage stays
// on this function's stack either way.
func (p *Ranker) search(room Room, k int, w Weights, near bool) []Candidate {
	if k <= 0 {
		return nil
	}
	var q query
	p.prepareQuery(&q, room, w)
	k = min(k, len(p.students))
	var stack [64]entry // the top k lives on the stack when k ≤ 64
	acc := topK{k: k, h: stack[:]}
	if k > len(stack) {
		acc.h = make([]entry, k)
	}
	var sc scratch
	if !near || q.unknown {
		p.scan(0, len(p.students), &q, &acc, &sc, false)
		return p.finish(&acc)
	}
	var buf [256][2]int32
	for _, r := range p.near(buf[:0], room.Lat, room.Lng) {
		p.scan(int(r[0]), int(r[1]), &q, &acc, &sc, true)
	}
	p.scan(p.unlimitedLo, len(p.students), &q, &acc, &sc, false)
	return p.finish(&acc)
}

func (p *Ranker) finish(acc *topK) []Candidate {
	h := acc.h[:acc.n]
	slices.SortFunc(h, func(a, b entry) int {
		switch {
		case worse(b, a):
			return -1
		case worse(a, b):
			return 1
		}
		return 0
	})
	out := make([]Candidate, len(h))
	for i, e := range h {
		out[i] = Candidate{Index: int(e.index), StudentID: p.students[p.pos[e.index]].ID, Points: int(e.points), Score: float64(e.points) / pointsPerScoreUnit}
	}
	return out
}

// Feasible appends to dst every student that may pair with the room (no hard constraint
// broken), in NewRanker's order, with their points, using the spatial prefilter.
func (p *Ranker) Feasible(dst []Candidate, room Room, w Weights) []Candidate {
	var q query
	p.prepareQuery(&q, room, w)
	n0 := len(dst)
	var buf [256][2]int32
	if q.unknown {
		dst = p.scanAll(dst, 0, len(p.students), &q)
	} else {
		for _, r := range p.near(buf[:0], room.Lat, room.Lng) {
			dst = p.scanAll(dst, int(r[0]), int(r[1]), &q)
		}
		dst = p.scanAll(dst, p.unlimitedLo, len(p.students), &q)
	}
	slices.SortFunc(dst[n0:], func(a, b Candidate) int { return a.Index - b.Index })
	return dst
}

// near appends to dst the ranker's ranges [lo, hi) of the cells within reach of (lat, lng).
func (p *Ranker) near(dst [][2]int32, lat, lng float64) [][2]int32 {
	if math.IsNaN(lat) || math.IsNaN(lng) || math.IsInf(lat, 0) || math.IsInf(lng, 0) {
		return dst // an unknown place is near nothing
	}
	latR := geo.Radians(lat)
	for ti := range p.tiers {
		t := &p.tiers[ti]
		r := (t.maxKm + 1) / geo.EarthRadiusKm // radians, with a km of slack
		rDeg := r * 180 / math.Pi
		r0, r1 := p.row(lat-rDeg), p.row(lat+rDeg)
		// Longitude ranges, in degrees of [0, 360), of the cells to scan.
		var ranges [2][2]float64
		nr := 0
		if lat+rDeg >= 90 || lat-rDeg <= -90 {
			ranges[0], nr = [2]float64{0, 360}, 1
		} else if s := math.Sin(r) / math.Cos(latR); s >= 1 {
			ranges[0], nr = [2]float64{0, 360}, 1
		} else {
			dLng := math.Asin(s)*180/math.Pi + 1e-6
			base := normLng(lng)
			lo, hi := base-dLng, base+dLng
			switch {
			case hi-lo >= 360:
				ranges[0], nr = [2]float64{0, 360}, 1
			case lo < 0:
				ranges[0], ranges[1], nr = [2]float64{lo + 360, 360}, [2]float64{0, hi}, 2
			case hi >= 360:
				ranges[0], ranges[1], nr = [2]float64{lo, 360}, [2]float64{0, hi - 360}, 2
			default:
				ranges[0], nr = [2]float64{lo, hi}, 1
			}
		}
		var cols [2][2]int64
		for i, rg := range ranges[:nr] {
			cols[i][0] = min(max(int64(math.Floor(rg[0]/p.cellDeg)), 0), p.numCols-1)
			cols[i][1] = min(max(int64(math.Floor(rg[1]/p.cellDeg)), 0), p.numCols-1)
		}
		if nr == 2 && cols[1][1] >= cols[0][0] { // the two ranges meet: every column
			cols[0], nr = [2]int64{0, p.numCols - 1}, 1
		}
		for row := r0; row <= r1; row++ {
			for _, c := range cols[:nr] {
				dst = t.cellRange(dst, row, c[0], c[1])
			}
		}
	}
	return dst
}

// cellRange appends the ranker's range of the cells (row, c0..c1): contiguous, since the ranker
// is sorted by cell.
func (t *tier) cellRange(dst [][2]int32, row, c0, c1 int64) [][2]int32 {
	lo, _ := slices.BinarySearch(t.keys, row<<32|c0)
	hi, found := slices.BinarySearch(t.keys, row<<32|c1)
	if found {
		hi++
	}
	if lo < hi {
		dst = append(dst, [2]int32{t.start[lo], t.start[hi]})
	}
	return dst
}

// scanBatch is how many students scan checks against the chord bound before scoring the
// survivors in one tight loop.
const scanBatch = 256

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// scratch holds the survivors of one batch of the chord bound.
type scratch struct {
	idx [scanBatch]int32
	cc  [scanBatch]float32
}

// scan adds the feasible students of [lo, hi) to the top k; near when [lo, hi) are cells
// near the room.
func (p *Ranker) scan(lo, hi int, q *query, acc *topK, sc *scratch, near bool) {
	idx, cc := &sc.idx, &sc.cc
	qx, qy, qz := q.vx, q.vy, q.vz
	for start := lo; start < hi; start += scanBatch {
		end := min(start+scanBatch, hi)
		vx, vy, vz, maxC2 := p.vx[start:end], p.vy[start:end], p.vz[start:end], p.maxC2[start:end]
		vy, vz, maxC2 = vy[:len(vx)], vz[:len(vx)], maxC2[:len(vx)]
		n := 0
		if q.unknown {
			// No distance to bound: every student goes on, at a chord of 0 (the commute's
			// bound is then 1, above its exact Neutral).
			for i := range vx {
				idx[n], cc[n] = int32(start+i), 0
				n++
			}
		} else if near {
			// Branch-free: about half the students of a nearby cell pass.
			for i := range vx {
				dx, dy, dz := qx-vx[i], qy-vy[i], qz-vz[i]
				c2 := dx*dx + dy*dy + dz*dz
				idx[n&(scanBatch-1)], cc[n&(scanBatch-1)] = int32(start+i), c2
				n += b2i(c2 <= maxC2[i])
			}
		} else {
			// A full scan: few students pass, the branch is well predicted.
			for i := range vx {
				dx, dy, dz := qx-vx[i], qy-vy[i], qz-vz[i]
				if c2 := dx*dx + dy*dy + dz*dz; c2 <= maxC2[i] {
					idx[n&(scanBatch-1)], cc[n&(scanBatch-1)] = int32(start+i), c2
					n++
				}
			}
		}
		p.batch(idx[:n], cc[:n], q, acc)
	}
}

// batch scores the students idx (squared chords cc) into the top k: once it is full, with
// the upper bound of upperBound computed inline, skipping those that cannot enter.
func (p *Ranker) batch(idx []int32, cc []float32, q *query, acc *topK) {
	t := 0
	var b bar
	for ; t < len(idx) && !acc.full(); t++ {
		p.consider(int(idx[t]), cc[t], q, acc, &b)
	}
	if t == len(idx) {
		return
	}
	b = acc.bar()
	if !q.hoursTab || !q.nightsTab {
		for ; t < len(idx); t++ {
			p.consider(int(idx[t]), cc[t], q, acc, &b)
		}
		return
	}
	pts0, pts6 := q.points.points[0], q.points.points[6]
	services, hoursIdx, nightsIdx, langs, rhythm := p.services, p.hoursIdx, p.nightsIdx, p.langs, p.rhythm
	in, wantedEnd, invLimit, invWanted, orig := p.in, p.wantedEnd, p.invLimit, p.invWanted, p.orig
	servC, hoursC, nightsC, langC, rhythmC := &q.servC, &q.hoursC, &q.nightsC, &q.langC, &q.rhythmC
	hostLangs, from, until := q.hostLangs, q.from, q.until
	hasMin, invMinStay := q.minStay > 0, q.invMinStay
	cc = cc[:len(idx)]
	for ; t < len(idx); t++ {
		j := idx[t]
		base := servC[services[j]] + hoursC[hoursIdx[j]] + nightsC[nightsIdx[j]] +
			langC[langCode(hostLangs, langs[j])] + rhythmC[rhythm[j]]
		lb := math.Sqrt(float64(cc[t]))*geo.EarthRadiusKm - chord32SlackKm
		vc := 1 - lb*invLimit[j]
		covered := float64(int64(min(until, wantedEnd[j])) - int64(max(from, in[j])) + 1)
		vd := covered * invWanted[j]
		if hasMin {
			if m := covered * invMinStay; m < 1 {
				vd *= m
			}
		}
		// Clamped to 0..1 as the exact values are (max(0, …) in commuteValue, no overlap in
		// durationValue), so the bound stays above them. (Branches: the builtin min and max
		// of floats also handle NaN and −0, which cost more here.)
		if vc > 1 {
			vc = 1
		} else if vc < 0 {
			vc = 0
		}
		if vd > 1 {
			vd = 1
		} else if vd < 0 {
			vd = 0
		}
		y := (pts0*vc + (base + pts6*vd) + boundSlack) * pointsPerScoreUnit
		if y < b.lo || (y < b.lo+1 && int(orig[j]) > b.index) {
			continue
		}
		p.admit(int(j), base, q, acc, &b)
	}
}

// scanAll appends every feasible student of [lo, hi).
func (p *Ranker) scanAll(dst []Candidate, lo, hi int, q *query) []Candidate {
	for j := lo; j < hi; j++ {
		dx, dy, dz := q.vx-p.vx[j], q.vy-p.vy[j], q.vz-p.vz[j]
		if (!q.unknown && !(dx*dx+dy*dy+dz*dz <= p.maxC2[j])) || !p.passes(j, q) {
			continue
		}
		d := geo.DistanceKm(q.pt, p.pts[j])
		if tooFar(d, p.maxKm[j]) {
			continue
		}
		pts := toPoints(float64(q.points.points[0]*commuteValue(d, p.maxKm[j], q.points.refKm)) + (p.rest(j, q) + p.durationC(j, q)))
		dst = append(dst, Candidate{Index: int(p.orig[j]), StudentID: p.students[j].ID, Points: pts, Score: float64(pts) / pointsPerScoreUnit})
	}
	return dst
}

// passes checks the hard constraints of student j other than the distance.
func (p *Ranker) passes(j int, q *query) bool {
	if p.prog[j] != q.prog {
		return false
	}
	if t := p.target[j]; t >= 0 && t != q.target {
		return false
	}
	return q.allowed[p.flags[j]] && genderOK(q.genderPref, p.gender[j]) &&
		p.budget[j] >= q.contribution && datesOverlap(q.from, q.until, p.in[j], p.out[j])
}

// rest is the sum of the contributions of every criterion but the commute, in Score's order,
// c6 (the duration's) excepted: ((((c1 + c2) + c3) + c4) + c5), to which c6 is then added.
func (p *Ranker) rest(j int, q *query) float64 {
	return q.servC[p.services[j]] + p.hoursC(j, q) + p.nightsC(j, q) +
		q.langC[langCode(q.hostLangs, p.langs[j])] + q.rhythmC[p.rhythm[j]]
}

func (p *Ranker) hoursC(j int, q *query) float64 {
	if q.hoursTab {
		return q.hoursC[p.hoursIdx[j]]
	}
	return float64(q.points.points[2] * ratioValue(int(p.hours[j]), q.hostHours))
}

func (p *Ranker) nightsC(j int, q *query) float64 {
	if q.nightsTab {
		return q.nightsC[p.nightsIdx[j]]
	}
	return float64(q.points.points[3] * ratioValue(int(p.nights[j]), q.hostNights))
}

func (p *Ranker) durationC(j int, q *query) float64 {
	return float64(q.points.points[6] * durationValue(q.from, q.until, p.in[j], p.wantedEnd[j], q.minStay))
}

// bar is the entry bar of a full top k: a student with index orig whose points are at most
// toPoints(ub) cannot enter when ub·100 < lo, or ub·100 < lo+1 and orig > index (toPoints
// rounds half away from zero: toPoints(x) < P ⟺ x·100 < P − 0.5).
type bar struct {
	lo    float64
	index int
}

func (b *bar) blocks(ub float64, orig int) bool {
	y := ub * pointsPerScoreUnit
	return y < b.lo || (y < b.lo+1 && orig > b.index)
}

func (acc *topK) bar() bar {
	return bar{lo: float64(acc.h[0].points) - 0.5, index: int(acc.h[0].index)}
}

// boundSlack covers the rounding of upper bounds computed with reciprocals instead of the
// exact formulas: far above their error (≈1e-13 points), far below a hundredth of a point.
const boundSlack = 1e-9

// upperBound is an upper bound of the points (before rounding) of student j, whose squared
// unit chord to the room is c2, given base = rest(j, q): the commute from the chord's lower
// bound of the distance, the duration computed with reciprocals, plus boundSlack.
func (p *Ranker) upperBound(j int, c2 float32, q *query, base float64) float64 {
	pts := &q.points.points
	lb := math.Sqrt(float64(c2))*geo.EarthRadiusKm - chord32SlackKm
	vc := 1 - lb*p.invLimit[j]
	vc = min(max(vc, 0), 1)
	in := p.in[j]
	covered := float64(int64(min(q.until, p.wantedEnd[j])) - int64(max(q.from, in)) + 1)
	vd := max(covered, 0) * p.invWanted[j]
	if q.minStay > 0 {
		vd *= min(covered*q.invMinStay, 1)
	}
	return pts[0]*vc + (base + pts[6]*min(max(vd, 0), 1)) + boundSlack
}

// consider scores student j, within the chord bound c2, into the top k. Once the top k is
// full, an upper bound of the student's points (see upperBound) skips those that cannot enter
// it before the hard constraints and the exact score are computed.
func (p *Ranker) consider(j int, c2 float32, q *query, acc *topK, b *bar) {
	base := p.rest(j, q)
	if acc.full() && b.blocks(p.upperBound(j, c2, q, base), int(p.orig[j])) {
		return
	}
	p.admit(j, base, q, acc, b)
}

// admit checks the hard constraints of student j, computes its exact points (base =
// rest(j, q)) and pushes it into the top k if it enters, updating the bar.
func (p *Ranker) admit(j int, base float64, q *query, acc *topK, b *bar) {
	if !p.passes(j, q) {
		return
	}
	d := geo.DistanceKm(q.pt, p.pts[j])
	maxKm := p.maxKm[j]
	if tooFar(d, maxKm) {
		return
	}
	pts := &q.points.points
	c := entry{index: p.orig[j], points: int32(toPoints(float64(pts[0]*commuteValue(d, maxKm, q.points.refKm)) + (base + p.durationC(j, q))))}
	if acc.full() && !worse(acc.h[0], c) {
		return
	}
	acc.push(c)
	if acc.full() {
		*b = acc.bar()
	}
}

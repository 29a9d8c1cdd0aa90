// Package bench generates structured matching instances — students and rooms clustered by
// city (a few dozen cities of very different sizes), per-person effects (students every host
// would like, rooms every student would like), ties (scores on a coarse grid) — and holds the
// benchmarks and the harness comparing the allocation with scipy. Uniform random data
// understates the cost of both the search and the allocation; these instances do not.
package bench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/assign"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// Config describes a generated population.
type Config struct {
	Students, Rooms int
	Cities          int     // default 36
	Seed            uint64  // default 1
	ZipfExponent    float64 // city sizes ∝ 1/rank^s (default 0.9)
	// Programmes spreads students and rooms over that many programmes (default 1).
	Programmes int
	// SpreadPerShareKm sets the size of cities: places spread around a city's centre with a
	// standard deviation of 3 km + SpreadPerShareKm × the city's share (default 110, which
	// gives ~200 feasible rooms per student at 20k × 20k; scale it with the rooms for
	// smaller instances of the same density).
	SpreadPerShareKm float64
}

func (c Config) withDefaults() Config {
	if c.Cities <= 0 {
		c.Cities = 36
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.ZipfExponent == 0 {
		c.ZipfExponent = 0.9
	}
	if c.Programmes <= 0 {
		c.Programmes = 1
	}
	if c.SpreadPerShareKm <= 0 {
		c.SpreadPerShareKm = 110
	}
	return c
}

// City is a generated city.
type City struct {
	Lat, Lng float64
	Share    float64 // of students and rooms
	SpreadKm float64 // standard deviation of places around the centre
	Campuses [][2]float64
}

// Population is a generated set of students and rooms.
type Population struct {
	Cities   []City
	Students []score.Student
	Rooms    []score.Room
	Langs    *score.LanguageTable
}

// Generate draws a population; the same Config always gives the same population.
func Generate(cfg Config) Population {
	cfg = cfg.withDefaults()
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	pop := Population{Langs: score.NewLanguageTable("fr", "en", "ar", "es", "pt", "it", "de", "zh")}

	// Cities across metropolitan France, sizes by a Zipf law.
	total := 0.0
	for k := range cfg.Cities {
		total += 1 / math.Pow(float64(k+1), cfg.ZipfExponent)
	}
	for k := range cfg.Cities {
		share := 1 / math.Pow(float64(k+1), cfg.ZipfExponent) / total
		c := City{Lat: 43 + rng.Float64()*7.5, Lng: -1.5 + rng.Float64()*9, Share: share, SpreadKm: 3 + cfg.SpreadPerShareKm*share}
		for range 1 + rng.IntN(4) {
			lat, lng := offsetKm(rng, c.Lat, c.Lng, c.SpreadKm*0.4)
			c.Campuses = append(c.Campuses, [2]float64{lat, lng})
		}
		pop.Cities = append(pop.Cities, c)
	}
	pick := func() int {
		x := rng.Float64()
		for k, c := range pop.Cities {
			if x -= c.Share; x < 0 {
				return k
			}
		}
		return len(pop.Cities) - 1
	}

	fr, _ := pop.Langs.Set("fr")
	others := []string{"en", "ar", "es", "pt", "it", "de", "zh"}
	intake := score.DayOf(2026, time.September, 1)

	pop.Rooms = make([]score.Room, cfg.Rooms)
	for j := range pop.Rooms {
		c := pop.Cities[pick()]
		lat, lng := offsetKm(rng, c.Lat, c.Lng, c.SpreadKm)
		r := score.Room{
			ID: fmt.Sprintf("room-%d", j), ProgrammeID: fmt.Sprintf("prog-%d", rng.IntN(cfg.Programmes)),
			Lat: lat, Lng: lng,
			ContributionCents: int64([]int{0, 0, 100, 150, 200, 200, 250, 300, 350}[rng.IntN(9)]) * 100,
			AvailableFrom:     intake - 60 + score.Day(rng.IntN(75)),
			MinStayMonths:     []int{0, 0, 3, 6, 6, 9}[rng.IntN(6)],
			SmokingAllowed:    rng.IntN(100) < 15,
			PetsAllowed:       rng.IntN(100) < 30,
		}
		if rng.IntN(100) < 40 {
			r.AvailableUntil = intake + score.Day(120+rng.IntN(300))
		}
		h := &r.Host
		h.Smokes, h.HasPets = rng.IntN(100) < 8, rng.IntN(100) < 25
		if rng.IntN(100) < 35 {
			h.GenderPreference = []score.Gender{score.GenderFemale, score.GenderFemale, score.GenderMale}[rng.IntN(3)]
		}
		h.Languages = fr
		if rng.IntN(4) == 0 {
			l, _ := pop.Langs.Set(others[rng.IntN(len(others))])
			h.Languages |= l
		}
		if rng.IntN(100) < 10 { // an easy host: every student scores well here
			h.Rhythm = score.RhythmFlexible
		} else {
			h.ServicesWanted = score.ServiceSet(rng.IntN(128)) & score.ServiceSet(rng.IntN(128))
			h.HoursWanted = []int{0, 2, 4, 4, 6, 8, 10}[rng.IntN(7)]
			h.NightsWanted = rng.IntN(8)
			h.Rhythm = score.Rhythm(rng.IntN(4))
		}
		pop.Rooms[j] = r
	}

	pop.Students = make([]score.Student, cfg.Students)
	for i := range pop.Students {
		c := pop.Cities[pick()]
		campus := c.Campuses[rng.IntN(len(c.Campuses))]
		lat, lng := offsetKm(rng, campus[0], campus[1], 0.5)
		s := score.Student{
			ID: fmt.Sprintf("stu-%d", i), ProgrammeID: fmt.Sprintf("prog-%d", rng.IntN(cfg.Programmes)),
			StudyLat: lat, StudyLng: lng,
			MaxCommuteKm: []float64{5, 8, 10, 10, 12, 15, 15, 20, 25}[rng.IntN(9)],
			BudgetCents:  int64([]int{0, 100, 150, 200, 250, 300, 300, 350, 400, 450}[rng.IntN(10)]) * 100,
			MoveIn:       intake - 15 + score.Day(rng.IntN(45)),
			Smokes:       rng.IntN(100) < 10, HasPets: rng.IntN(100) < 8,
			AcceptsSmokers: rng.IntN(100) < 40, AcceptsPets: rng.IntN(100) < 60,
			Gender: []score.Gender{score.GenderFemale, score.GenderFemale, score.GenderMale, score.GenderMale, score.GenderOther}[rng.IntN(5)],
		}
		if rng.IntN(100) < 70 {
			s.MoveOut = s.MoveIn + score.Day(120+rng.IntN(240))
		}
		s.Languages = fr
		if rng.IntN(3) == 0 {
			l, _ := pop.Langs.Set(others[rng.IntN(len(others))])
			s.Languages |= l
		}
		if rng.IntN(100) < 10 { // a star student: every host scores them well
			s.ServicesOffered, s.HoursOffered, s.NightsPresent, s.Rhythm = score.AllServices, 10, 7, score.RhythmFlexible
		} else {
			s.ServicesOffered = score.ServiceSet(rng.IntN(128))
			s.HoursOffered = rng.IntN(9)
			s.NightsPresent = rng.IntN(8)
			s.Rhythm = score.Rhythm(rng.IntN(4))
		}
		pop.Students[i] = s
	}
	return pop
}

// offsetKm moves (lat, lng) by a Gaussian offset of standard deviation sd km.
func offsetKm(rng *rand.Rand, lat, lng, sd float64) (float64, float64) {
	dn, de := rng.NormFloat64()*sd, rng.NormFloat64()*sd
	return lat + dn/111.2, lng + de/(111.2*math.Cos(lat*math.Pi/180))
}

// Allocation builds the allocation problem of a population: every feasible pair (found with
// score.Ranker.Feasible, so exactly the pairs Score accepts), weighted by its points rounded to
// a multiple of grid (100: whole points, which makes many ties; 1: the exact points).
func Allocation(pop Population, w score.Weights, grid int) assign.Problem {
	if grid < 1 {
		grid = 1
	}
	ranker := score.NewRanker(pop.Students, score.RankerOptions{})
	p := assign.Problem{Students: len(pop.Students), Rooms: len(pop.Rooms)}
	var buf []score.Candidate
	for j, room := range pop.Rooms {
		buf = ranker.Feasible(buf[:0], room, w)
		for _, c := range buf {
			wt := int64((c.Points + grid/2) / grid * grid)
			p.Edges = append(p.Edges, assign.Edge{Student: int32(c.Index), Room: int32(j), Weight: wt})
		}
	}
	return p
}

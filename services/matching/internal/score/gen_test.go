package score

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Random rooms and students around a few cities, with every field varied, for property
// tests.
var testCities = [][2]float64{{45.76, 4.84}, {45.19, 5.72}, {48.86, 2.35}, {43.60, 1.44}, {-33.9, 151.2}, {64.1, -21.9}, {0.5, 179.95}, {0.5, -179.97}}

func randomRooms(rng *rand.Rand, n int) []Room {
	base := DayOf(2026, time.August, 1)
	out := make([]Room, n)
	for i := range out {
		c := testCities[rng.IntN(len(testCities))]
		var until Day
		if rng.IntN(3) > 0 {
			until = base + Day(60+rng.IntN(400))
		}
		out[i] = Room{
			ID: fmt.Sprintf("room-%d", i), ProgrammeID: []string{"p1", "p2"}[rng.IntN(8)/7],
			Lat: c[0] + rng.NormFloat64()*0.05, Lng: c[1] + rng.NormFloat64()*0.05,
			ContributionCents: int64(rng.IntN(8)) * 50_00,
			AvailableFrom:     base + Day(rng.IntN(90)), AvailableUntil: until,
			MinStayMonths:  rng.IntN(10),
			SmokingAllowed: rng.IntN(4) == 0, PetsAllowed: rng.IntN(3) == 0,
			Host: Host{
				Smokes: rng.IntN(8) == 0, HasPets: rng.IntN(5) == 0,
				GenderPreference: Gender(rng.IntN(8) / 2 % 4 * (rng.IntN(2))),
				ServicesWanted:   ServiceSet(rng.IntN(128)), HoursWanted: rng.IntN(10), NightsWanted: rng.IntN(8),
				Languages: LanguageSet(rng.IntN(16)), Rhythm: Rhythm(rng.IntN(5)),
			},
		}
	}
	return out
}

func randomStudents(rng *rand.Rand, n int) []Student {
	base := DayOf(2026, time.August, 1)
	out := make([]Student, n)
	for i := range out {
		c := testCities[rng.IntN(len(testCities))]
		in := base + Day(rng.IntN(120))
		var outDay Day
		if rng.IntN(4) > 0 {
			outDay = in + Day(30+rng.IntN(330))
		}
		target := ""
		if rng.IntN(20) == 0 {
			target = fmt.Sprintf("room-%d", rng.IntN(30))
		}
		out[i] = Student{
			ID: fmt.Sprintf("stu-%d", i), ProgrammeID: []string{"p1", "p2"}[rng.IntN(8)/7],
			StudyLat: c[0] + rng.NormFloat64()*0.05, StudyLng: c[1] + rng.NormFloat64()*0.05,
			MaxCommuteKm: []float64{0, 2, 5, 8, 10, 15, 25, 60}[rng.IntN(8)],
			BudgetCents:  int64(rng.IntN(8)) * 50_00,
			MoveIn:       in, MoveOut: outDay,
			Smokes: rng.IntN(6) == 0, HasPets: rng.IntN(6) == 0,
			AcceptsSmokers: rng.IntN(2) == 0, AcceptsPets: rng.IntN(2) == 0,
			Gender:          Gender(rng.IntN(4)),
			ServicesOffered: ServiceSet(rng.IntN(128)), HoursOffered: rng.IntN(12), NightsPresent: rng.IntN(8),
			Languages: LanguageSet(rng.IntN(16)), Rhythm: Rhythm(rng.IntN(5)),
			TargetRoomID: target,
		}
	}
	return out
}

package score

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
)

var langs = NewLanguageTable("fr", "en", "ar", "es")

func mustLangs(t testing.TB, codes ...string) LanguageSet {
	s, err := langs.Set(codes...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// perfectPair is a room and a student that meet every criterion fully: score 100.
func perfectPair(t testing.TB) (Room, Student) {
	fr := mustLangs(t, "fr")
	room := Room{
		ID: "room-1", ProgrammeID: "lyon", Lat: 45.7640, Lng: 4.8357,
		ContributionCents: 200_00,
		AvailableFrom:     DayOf(2026, time.September, 1), AvailableUntil: NoEnd,
		MinStayMonths: 6,
		Host: Host{
			ServicesWanted: ServiceCompany | ServiceShopping, HoursWanted: 4, NightsWanted: 3,
			Languages: fr, Rhythm: RhythmEarly,
		},
	}
	student := Student{
		ID: "stu-1", ProgrammeID: "lyon", StudyLat: 45.7640, StudyLng: 4.8357, MaxCommuteKm: 10,
		BudgetCents: 300_00,
		MoveIn:      DayOf(2026, time.September, 1), MoveOut: DayOf(2027, time.June, 30),
		Gender:          GenderFemale,
		ServicesOffered: ServiceCompany | ServiceShopping | ServiceMeals, HoursOffered: 5, NightsPresent: 4,
		Languages: fr, Rhythm: RhythmEarly,
	}
	return room, student
}

func codes(r Result) []Code {
	var out []Code
	for _, c := range r.Broken {
		out = append(out, c.Code)
	}
	return out
}

func item(t *testing.T, r Result, c Criterion) Item {
	t.Helper()
	for _, it := range r.Breakdown {
		if it.Criterion == c {
			return it
		}
	}
	t.Fatalf("no %s in breakdown", c)
	return Item{}
}

func TestPerfectPairScores100(t *testing.T) {
	room, st := perfectPair(t)
	r := Score(room, st, Weights{})
	if r.Score != 100 || r.Points != 10000 || !r.Feasible() {
		t.Fatalf("Score = %v (%d points), broken %v; want 100", r.Score, r.Points, codes(r))
	}
	if len(r.Breakdown) != numCriteria {
		t.Fatalf("breakdown has %d items, want %d", len(r.Breakdown), numCriteria)
	}
	sumW := 0.0
	for i, it := range r.Breakdown {
		if it.Criterion != criteria[i] {
			t.Errorf("item %d is %s, want %s", i, it.Criterion, criteria[i])
		}
		if it.Value != 1 || it.Contribution != it.Weight {
			t.Errorf("%s: value %v contribution %v weight %v", it.Criterion, it.Value, it.Contribution, it.Weight)
		}
		if it.ReasonFR == "" || it.ReasonEN == "" {
			t.Errorf("%s: empty reason", it.Criterion)
		}
		sumW += it.Weight
	}
	if math.Abs(sumW-100) > 1e-9 {
		t.Errorf("weights sum to %v, want 100", sumW)
	}
}

func TestHardConstraints(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(*Room, *Student)
		want   []Code
	}{
		{"other programme", func(r *Room, s *Student) { s.ProgrammeID = "paris" }, []Code{OtherProgramme}},
		{"targets another room", func(r *Room, s *Student) { s.TargetRoomID = "room-2" }, []Code{OtherRoomTargeted}},
		{"targets this room", func(r *Room, s *Student) { s.TargetRoomID = "room-1" }, nil},
		{"stay ends before the room is available", func(r *Room, s *Student) {
			s.MoveIn, s.MoveOut = DayOf(2026, time.January, 1), DayOf(2026, time.August, 31)
		}, []Code{DatesDoNotOverlap}},
		{"room ends before the stay starts", func(r *Room, s *Student) {
			r.AvailableFrom, r.AvailableUntil = DayOf(2026, time.January, 1), DayOf(2026, time.August, 31)
		}, []Code{DatesDoNotOverlap}},
		{"one day of overlap is an overlap", func(r *Room, s *Student) {
			s.MoveIn, s.MoveOut = DayOf(2026, time.January, 1), DayOf(2026, time.September, 1)
		}, nil},
		{"open-ended stay overlaps an open room", func(r *Room, s *Student) {
			s.MoveIn, s.MoveOut = DayOf(2030, time.January, 1), NoEnd
		}, nil},
		{"over budget by one cent", func(r *Room, s *Student) { s.BudgetCents = r.ContributionCents - 1 }, []Code{OverBudget}},
		{"budget exactly the contribution", func(r *Room, s *Student) { s.BudgetCents = r.ContributionCents }, nil},
		{"free room, zero budget", func(r *Room, s *Student) { r.ContributionCents, s.BudgetCents = 0, 0 }, nil},
		{"student smokes, room non-smoking", func(r *Room, s *Student) { s.Smokes = true }, []Code{Smoking}},
		{"student smokes, smoking allowed", func(r *Room, s *Student) { s.Smokes, r.SmokingAllowed = true, true }, nil},
		{"host smokes, student does not accept", func(r *Room, s *Student) { r.Host.Smokes = true }, []Code{Smoking}},
		{"host smokes, student accepts", func(r *Room, s *Student) { r.Host.Smokes, s.AcceptsSmokers = true, true }, nil},
		{"student has a pet, room allows none", func(r *Room, s *Student) { s.HasPets = true }, []Code{Pets}},
		{"student has a pet, pets allowed", func(r *Room, s *Student) { s.HasPets, r.PetsAllowed = true, true }, nil},
		{"host has a pet, student does not accept", func(r *Room, s *Student) { r.Host.HasPets = true }, []Code{Pets}},
		{"host has a pet, student accepts", func(r *Room, s *Student) { r.Host.HasPets, s.AcceptsPets = true, true }, nil},
		{"gender preference differs", func(r *Room, s *Student) { r.Host.GenderPreference = GenderMale }, []Code{GenderPreference}},
		{"gender preference met", func(r *Room, s *Student) { r.Host.GenderPreference = GenderFemale }, nil},
		{"gender preference, gender not given", func(r *Room, s *Student) {
			r.Host.GenderPreference, s.Gender = GenderFemale, GenderUnset
		}, []Code{GenderPreference}},
		{"too far", func(r *Room, s *Student) { s.StudyLat += 0.1 /* ≈ 11 km */ }, []Code{TooFar}},
		{"far but no limit", func(r *Room, s *Student) { s.StudyLat, s.MaxCommuteKm = s.StudyLat+1, 0 }, nil},
		{"unknown place of study: the limit cannot be checked, the pair is kept", func(r *Room, s *Student) { s.StudyLat = math.NaN() }, nil},
		{"unknown room position, no limit", func(r *Room, s *Student) { r.Lng, s.MaxCommuteKm = math.Inf(1), 0 }, nil},
		{"limit NaN is no limit", func(r *Room, s *Student) { s.StudyLat, s.MaxCommuteKm = s.StudyLat+0.1, math.NaN() }, nil},
		{"everything broken, in order", func(r *Room, s *Student) {
			s.ProgrammeID, s.TargetRoomID = "paris", "room-9"
			s.MoveIn, s.MoveOut = DayOf(2020, time.January, 1), DayOf(2020, time.June, 30)
			s.BudgetCents, s.Smokes, s.HasPets = 0, true, true
			r.Host.GenderPreference, s.StudyLat = GenderMale, s.StudyLat+1
		}, []Code{OtherProgramme, OtherRoomTargeted, DatesDoNotOverlap, OverBudget, Smoking, Pets, GenderPreference, TooFar}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, st := perfectPair(t)
			tc.mutate(&room, &st)
			r := Score(room, st, Weights{})
			if got := codes(r); !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("broken = %v, want %v", got, tc.want)
			}
			for _, c := range r.Broken {
				if c.ReasonFR == "" || c.ReasonEN == "" || c.ReasonFR == c.ReasonEN {
					t.Errorf("%s: reasons %q / %q", c.Code, c.ReasonFR, c.ReasonEN)
				}
			}
			if len(tc.want) > 0 {
				if r.Score != 0 || r.Points != 0 {
					t.Errorf("broken pair scores %v (%d points), want 0", r.Score, r.Points)
				}
				if len(r.Breakdown) != numCriteria {
					t.Errorf("broken pair has %d breakdown items, want %d", len(r.Breakdown), numCriteria)
				}
			} else if r.Points == 0 {
				t.Errorf("feasible pair scores 0")
			}
		})
	}
}

func TestTooFarReasonNamesTheDistances(t *testing.T) {
	room, st := perfectPair(t)
	st.StudyLat += 0.1
	r := Score(room, st, Weights{})
	if fr, en := r.Broken[0].ReasonFR, r.Broken[0].ReasonEN; !strings.Contains(fr, "11,1 km") || !strings.Contains(fr, "10,0 km") || !strings.Contains(en, "11.1 km") {
		t.Errorf("reasons %q / %q", fr, en)
	}
}

func TestSoftCriteria(t *testing.T) {
	sep1 := DayOf(2026, time.September, 1)
	for _, tc := range []struct {
		name      string
		criterion Criterion
		mutate    func(*Room, *Student)
		want      float64
	}{
		{"commute at the place of study", CriterionCommute, func(r *Room, s *Student) {}, 1},
		{"commute at half the limit", CriterionCommute, func(r *Room, s *Student) { s.MaxCommuteKm = 2 * haversineKm(r, s, 0.02) }, 0.5},
		{"commute with no limit uses the reference", CriterionCommute, func(r *Room, s *Student) { s.MaxCommuteKm = 0; s.StudyLat += 0.09 /* ≈ 10 km */ }, 1 - 10.007/20},
		{"commute beyond the reference", CriterionCommute, func(r *Room, s *Student) { s.MaxCommuteKm = 0; s.StudyLat += 1 }, 0},
		{"services: none hoped for is neutral", CriterionServices, func(r *Room, s *Student) { r.Host.ServicesWanted, s.ServicesOffered = 0, 0 }, Neutral},
		{"services: none hoped for, many offered, still neutral", CriterionServices, func(r *Room, s *Student) { r.Host.ServicesWanted = 0 }, Neutral},
		{"services: one of two", CriterionServices, func(r *Room, s *Student) { s.ServicesOffered = ServiceCompany | ServiceGardening }, 0.5},
		{"services: none of two", CriterionServices, func(r *Room, s *Student) { s.ServicesOffered = ServiceGardening }, 0},
		{"hours: 1 of 4", CriterionHours, func(r *Room, s *Student) { s.HoursOffered = 1 }, 0.25},
		{"hours: none hoped for is neutral", CriterionHours, func(r *Room, s *Student) { r.Host.HoursWanted, s.HoursOffered = 0, 0 }, Neutral},
		{"nights: none hoped for is neutral", CriterionNights, func(r *Room, s *Student) { r.Host.NightsWanted = 0 }, Neutral},
		{"commute: place of study unknown is neutral", CriterionCommute, func(r *Room, s *Student) { s.StudyLat, s.StudyLng = math.NaN(), math.NaN() }, Neutral},
		{"commute: room position unknown is neutral", CriterionCommute, func(r *Room, s *Student) { r.Lat = math.Inf(1) }, Neutral},
		{"hours: none offered", CriterionHours, func(r *Room, s *Student) { s.HoursOffered = 0 }, 0},
		{"nights: 2 of 3", CriterionNights, func(r *Room, s *Student) { s.NightsPresent = 2 }, 2.0 / 3},
		{"nights: 7 of 3", CriterionNights, func(r *Room, s *Student) { s.NightsPresent = 7 }, 1},
		{"languages: none shared", CriterionLanguages, func(r *Room, s *Student) { s.Languages = mustLangs(t, "en", "es") }, 0},
		{"languages: one of many shared", CriterionLanguages, func(r *Room, s *Student) { s.Languages = mustLangs(t, "en", "fr") }, 1},
		{"languages: not given", CriterionLanguages, func(r *Room, s *Student) { s.Languages = 0 }, 0.5},
		{"rhythm: opposite", CriterionRhythm, func(r *Room, s *Student) { s.Rhythm = RhythmLate }, 0},
		{"rhythm: flexible", CriterionRhythm, func(r *Room, s *Student) { s.Rhythm = RhythmFlexible }, 0.75},
		{"rhythm: not given", CriterionRhythm, func(r *Room, s *Student) { r.Host.Rhythm = RhythmUnset }, 0.5},
		{"duration: room covers half the stay", CriterionDuration, func(r *Room, s *Student) {
			r.MinStayMonths = 0
			s.MoveIn, s.MoveOut = sep1, sep1+99
			r.AvailableUntil = sep1 + 49
		}, 0.5},
		{"duration: stay shorter than the minimum", CriterionDuration, func(r *Room, s *Student) {
			r.MinStayMonths = 6 // 180 days
			s.MoveIn, s.MoveOut = sep1, sep1+89
		}, 0.5},
		{"duration: open-ended stay counts a year", CriterionDuration, func(r *Room, s *Student) {
			r.MinStayMonths, s.MoveOut = 0, NoEnd
			r.AvailableUntil = sep1 + 364
		}, 1},
		{"duration: open-ended stay, room for 73 days", CriterionDuration, func(r *Room, s *Student) {
			r.MinStayMonths, s.MoveOut = 0, NoEnd
			r.AvailableUntil = sep1 + 72
		}, 0.2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			room, st := perfectPair(t)
			tc.mutate(&room, &st)
			r := Score(room, st, Weights{})
			if !r.Feasible() {
				t.Fatalf("broken: %v", codes(r))
			}
			it := item(t, r, tc.criterion)
			if math.Abs(it.Value-tc.want) > 1e-3 {
				t.Fatalf("%s value = %v, want %v (%s)", tc.criterion, it.Value, tc.want, it.ReasonEN)
			}
			if math.Abs(it.Contribution-it.Weight*it.Value) > 1e-12 {
				t.Errorf("contribution %v ≠ weight %v × value %v", it.Contribution, it.Weight, it.Value)
			}
			sum := 0.0
			for _, it := range r.Breakdown {
				sum += it.Contribution
			}
			if math.Abs(float64(r.Points)/100-sum) > 0.005+1e-9 {
				t.Errorf("points %d do not round the contributions' sum %v", r.Points, sum)
			}
		})
	}
}

// haversineKm moves the student north so that the room is at frac° of latitude and returns
// the resulting distance.
func haversineKm(r *Room, s *Student, frac float64) float64 {
	s.StudyLat = r.Lat + frac
	return Score(*r, *s, Weights{}).DistanceKm
}

func TestWeights(t *testing.T) {
	if err := DefaultWeights().Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (Weights{}).Validate(); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]Weights{
		"negative":   {Commute: -1, Services: 1, CommuteReferenceKm: 10},
		"NaN":        {Commute: math.NaN(), Services: 1, CommuteReferenceKm: 10},
		"infinite":   {Commute: math.Inf(1), CommuteReferenceKm: 10},
		"all zero":   {CommuteReferenceKm: 10},
		"no ref":     {Commute: 1},
		"ref is NaN": {Commute: 1, CommuteReferenceKm: math.NaN()},
	} {
		if err := w.Validate(); err == nil {
			t.Errorf("%s: Validate accepted %+v", name, w)
		}
	}
	room, st := perfectPair(t)
	st.HoursOffered = 0 // hours value 0
	only := Weights{Hours: 3, CommuteReferenceKm: 20}
	if r := Score(room, st, only); r.Points != 0 || item(t, r, CriterionHours).Weight != 100 {
		t.Errorf("only hours weighted: %d points, hours weight %v", r.Points, item(t, r, CriterionHours).Weight)
	}
	// Only ratios matter.
	a := Score(room, st, Weights{Commute: 1, Services: 2, Hours: 3, Nights: 4, Languages: 5, Rhythm: 6, Duration: 7, CommuteReferenceKm: 20})
	b := Score(room, st, Weights{Commute: 2, Services: 4, Hours: 6, Nights: 8, Languages: 10, Rhythm: 12, Duration: 14, CommuteReferenceKm: 20})
	if a.Points != b.Points {
		t.Errorf("scaled weights: %d vs %d points", a.Points, b.Points)
	}
	// Invalid weights fall back to the defaults.
	if c, d := Score(room, st, Weights{Commute: -1}), Score(room, st, DefaultWeights()); c.Points != d.Points {
		t.Errorf("invalid weights: %d points, defaults %d", c.Points, d.Points)
	}
}

func TestDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	rooms, students := randomRooms(rng, 30), randomStudents(rng, 100)
	for _, room := range rooms {
		for _, st := range students {
			a, b := Score(room, st, Weights{}), Score(room, st, Weights{})
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("two scores of one pair differ:\n%+v\n%+v", a, b)
			}
		}
	}
}

// Improving any one aspect of a pair never lowers its score.
func TestMonotonic(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	rooms, students := randomRooms(rng, 20), randomStudents(rng, 150)
	improvements := map[string]func(*Room, *Student){
		"closer": func(r *Room, s *Student) {
			if math.Abs(s.StudyLng-r.Lng) < 90 { // a midpoint, not across the date line
				s.StudyLat, s.StudyLng = (s.StudyLat+r.Lat)/2, (s.StudyLng+r.Lng)/2
			}
		},
		"more services offered": func(r *Room, s *Student) { s.ServicesOffered |= 1 << rng.IntN(7) },
		"more hours":            func(r *Room, s *Student) { s.HoursOffered++ },
		"more nights":           func(r *Room, s *Student) { s.NightsPresent++ },
		"a language learned":    func(r *Room, s *Student) { s.Languages |= r.Host.Languages },
		"room open longer":      func(r *Room, s *Student) { r.AvailableUntil = NoEnd },
		"shorter minimum stay":  func(r *Room, s *Student) { r.MinStayMonths /= 2 },
		"bigger budget":         func(r *Room, s *Student) { s.BudgetCents += 100_00 },
		"longer commute limit":  func(r *Room, s *Student) { s.MaxCommuteKm *= 1.5 },
		"accepts smokers":       func(r *Room, s *Student) { s.AcceptsSmokers = true },
		"no gender preference":  func(r *Room, s *Student) { r.Host.GenderPreference = GenderUnset },
	}
	for name, improve := range improvements {
		for _, room := range rooms {
			for _, st := range students {
				before := Score(room, st, Weights{})
				r2, s2 := room, st
				improve(&r2, &s2)
				after := Score(r2, s2, Weights{})
				if after.Points < before.Points && !(name == "longer commute limit" && after.Feasible()) {
					t.Fatalf("%s: %d → %d points\nroom %+v\nstudent %+v", name, before.Points, after.Points, room, st)
				}
				if before.Feasible() && !after.Feasible() {
					t.Fatalf("%s made a feasible pair infeasible: %v", name, codes(after))
				}
			}
		}
	}
}

// The commute criterion in isolation: the value never increases with the distance.
func TestCommuteNeverWorseCloser(t *testing.T) {
	for _, limit := range []float64{0, 1, 5, 17.3} {
		prev := 2.0
		for d := 0.0; d < 40; d += 0.01 {
			v := commuteValue(d, limit, 20)
			if v > prev || v < 0 || v > 1 {
				t.Fatalf("limit %v: value %v at %v km after %v", limit, v, d, prev)
			}
			prev = v
		}
	}
}

func TestLanguageTable(t *testing.T) {
	tb := NewLanguageTable("fr")
	s, err := tb.Set("en", "fr", "en")
	if err != nil {
		t.Fatal(err)
	}
	if got := tb.Codes(s); !reflect.DeepEqual(got, []string{"fr", "en"}) {
		t.Errorf("codes = %v", got)
	}
	for i := range 62 {
		if _, err := tb.Set(strings.Repeat("x", i+1)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tb.Set("one-too-many"); err == nil {
		t.Error("65th language accepted")
	}
	if _, err := tb.Set(""); err == nil {
		t.Error("empty code accepted")
	}
}

func TestDay(t *testing.T) {
	d := DayOf(2026, time.September, 1)
	if d.String() != "2026-09-01" || DayOf(1970, time.January, 1) != 0 {
		t.Errorf("DayOf: %d %s", d, d)
	}
}

// Rank is Score without the breakdown: the same points, distance and broken constraints for
// any pair, so a ranking sorted on Rank is the ranking Score would give.
func TestRankIsScoreWithoutTheBreakdown(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	rooms, students := randomRooms(rng, 40), randomStudents(rng, 200)
	feasible := 0
	for _, room := range rooms {
		for _, s := range students {
			full, fast := Score(room, s, Weights{}), Rank(room, s, Weights{})
			if fast.Points != full.Points || fast.Score != full.Score || fast.Feasible() != full.Feasible() ||
				len(fast.Broken) != len(full.Broken) || !(fast.DistanceKm == full.DistanceKm || math.IsNaN(full.DistanceKm)) {
				t.Fatalf("room %s, student %s: Rank %+v, Score %+v", room.ID, s.ID, fast, full)
			}
			if fast.Breakdown != nil {
				t.Fatal("Rank explained the score")
			}
			for i, c := range fast.Broken {
				if c.Code != full.Broken[i].Code || c.ReasonFR != "" || c.ReasonEN != "" || full.Broken[i].ReasonFR == "" {
					t.Fatalf("broken constraint %d: Rank %+v, Score %+v", i, c, full.Broken[i])
				}
			}
			if full.Feasible() {
				feasible++
			}
		}
	}
	if feasible == 0 {
		t.Fatal("no feasible pair among the random ones: the test compares nothing but refusals")
	}
}

package score

import (
	"math"
	"strings"
	"testing"
)

// A host who asks for nothing (no services, no hours, no evenings) must not outrank one who
// asks for exactly what the student offers: "no wish" is neutral, not a perfect fit.
func TestNoWishIsNeutralNotPerfect(t *testing.T) {
	exact, st := perfectPair(t)
	exact.Host.ServicesWanted = st.ServicesOffered
	exact.Host.HoursWanted, exact.Host.NightsWanted = st.HoursOffered, st.NightsPresent
	nothing := exact
	nothing.ID = "room-2"
	nothing.Host.ServicesWanted, nothing.Host.HoursWanted, nothing.Host.NightsWanted = 0, 0, 0

	re, rn := Score(exact, st, Weights{}), Score(nothing, st, Weights{})
	if !re.Feasible() || !rn.Feasible() {
		t.Fatalf("broken: %v / %v", codes(re), codes(rn))
	}
	if re.Points <= rn.Points {
		t.Fatalf("the host who wants exactly what the student offers scores %v, the one who asks for nothing %v", re.Score, rn.Score)
	}
	for _, c := range []Criterion{CriterionServices, CriterionHours, CriterionNights} {
		e, n := item(t, re, c), item(t, rn, c)
		if e.Value != 1 || e.Note != NoteNone {
			t.Errorf("%s, exact wish: value %v note %q, want 1 and none", c, e.Value, e.Note)
		}
		if n.Value != Neutral || n.Contribution != n.Weight/2 || n.Note != NoteNoWish {
			t.Errorf("%s, no wish: value %v (%v of %v points) note %q, want half the points and %s", c, n.Value, n.Contribution, n.Weight, n.Note, NoteNoWish)
		}
		if !strings.Contains(n.ReasonFR, "neutre") || !strings.Contains(n.ReasonEN, "neutral") {
			t.Errorf("%s, no wish: reasons %q / %q do not say it is neutral", c, n.ReasonFR, n.ReasonEN)
		}
	}
	// And the ranker ranks them the same way (one student, two rooms: each room's top 1).
	p := NewRanker([]Student{st}, RankerOptions{})
	ce, cn := p.TopK(exact, 1, Weights{}), p.TopK(nothing, 1, Weights{})
	if len(ce) != 1 || len(cn) != 1 || ce[0].Points != re.Points || cn[0].Points != rn.Points {
		t.Errorf("ranker: %v / %v, want %d / %d points", ce, cn, re.Points, rn.Points)
	}
}

// A host who asks for little the student does not give still ranks below one with no wish:
// a poor fit is below neutral, and neutral below a good fit.
func TestNeutralSitsBetweenPoorAndGoodFits(t *testing.T) {
	room, st := perfectPair(t)
	st.HoursOffered = 0
	room.Host.HoursWanted = 6
	poor := item(t, Score(room, st, Weights{}), CriterionHours).Value
	room.Host.HoursWanted = 0
	none := item(t, Score(room, st, Weights{}), CriterionHours).Value
	st.HoursOffered, room.Host.HoursWanted = 6, 6
	good := item(t, Score(room, st, Weights{}), CriterionHours).Value
	if !(poor < none && none < good) {
		t.Fatalf("hours: poor %v, no wish %v, good %v", poor, none, good)
	}
}

// Without coordinates the distance is unknown, not 0 km: the commute criterion says so, is
// neutral, and the student's maximum (which cannot be checked) does not drop the pair.
func TestUnknownDistanceIsNeutralNotZeroKm(t *testing.T) {
	room, st := perfectPair(t)
	known := Score(room, st, Weights{})
	for name, mutate := range map[string]func(*Room, *Student){
		"place of study": func(r *Room, s *Student) { s.StudyLat, s.StudyLng = math.NaN(), math.NaN() },
		"room":           func(r *Room, s *Student) { r.Lat, r.Lng = math.NaN(), math.NaN() },
		"both":           func(r *Room, s *Student) { r.Lat, s.StudyLng = math.NaN(), math.NaN() },
	} {
		r, s := room, st
		mutate(&r, &s)
		res := Score(r, s, Weights{})
		if !res.Feasible() {
			t.Errorf("%s unknown: broken %v, want the pair kept", name, codes(res))
			continue
		}
		if !math.IsNaN(res.DistanceKm) {
			t.Errorf("%s unknown: distance %v km, want NaN (unknown)", name, res.DistanceKm)
		}
		it := item(t, res, CriterionCommute)
		if it.Value != Neutral || it.Note != NoteUnknown {
			t.Errorf("%s unknown: commute value %v note %q, want %v and %s", name, it.Value, it.Note, Neutral, NoteUnknown)
		}
		if strings.HasPrefix(it.ReasonFR, "0,0 km") || !strings.Contains(it.ReasonFR, "inconnue") || !strings.Contains(it.ReasonEN, "unknown") ||
			!strings.Contains(it.ReasonEN, "could not be checked") {
			t.Errorf("%s unknown: reasons %q / %q", name, it.ReasonFR, it.ReasonEN)
		}
		if res.Points >= known.Points {
			t.Errorf("%s unknown: %d points, not below the same pair at 0 km (%d)", name, res.Points, known.Points)
		}
		if rk := Rank(r, s, Weights{}); rk.Points != res.Points || !rk.Feasible() {
			t.Errorf("%s unknown: Rank %d points, Score %d", name, rk.Points, res.Points)
		}
		// The ranker finds the pair, with the same points, whichever search.
		p := NewRanker([]Student{s}, RankerOptions{})
		for _, got := range [][]Candidate{p.TopK(r, 1, Weights{}), p.TopKNear(r, 1, Weights{}), p.Feasible(nil, r, Weights{})} {
			if len(got) != 1 || got[0].Points != res.Points {
				t.Errorf("%s unknown: ranker %v, want %d points", name, got, res.Points)
			}
		}
	}
}

// A position found from the commune (its centre) is used as it is, but every distance
// reason says it is approximate: two addresses of one commune never read "0 km" bare.
func TestApproximatePositionsAreSaid(t *testing.T) {
	room, st := perfectPair(t) // same place: 0 km
	exact := Score(room, st, Weights{})
	room.ApproximatePosition, st.ApproximateStudyPlace = true, true
	r := Score(room, st, Weights{})
	if r.Points != exact.Points {
		t.Fatalf("approximate positions changed the score: %d vs %d points", r.Points, exact.Points)
	}
	it := item(t, r, CriterionCommute)
	if !strings.HasPrefix(it.ReasonFR, "≈ 0,0 km") || !strings.Contains(it.ReasonFR, "centres des communes") ||
		!strings.HasPrefix(it.ReasonEN, "≈ 0.0 km") || !strings.Contains(it.ReasonEN, "approximate") {
		t.Errorf("reasons %q / %q", it.ReasonFR, it.ReasonEN)
	}
	if e := item(t, exact, CriterionCommute); strings.Contains(e.ReasonFR, "≈") {
		t.Errorf("exact positions read as approximate: %q", e.ReasonFR)
	}
	st.StudyLat += 0.1 // ≈ 11 km, beyond the 10 km limit
	st.ApproximateStudyPlace = false
	far := Score(room, st, Weights{})
	if len(far.Broken) != 1 || !strings.Contains(far.Broken[0].ReasonFR, "position approchée du logement") {
		t.Errorf("too far: %+v", far.Broken)
	}
}

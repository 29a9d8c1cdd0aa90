package pool

import (
	"math"
	"slices"
	"testing"

	"github.com/cohabit/cohabit/services/matching/internal/score"
)

func TestPoolRules(t *testing.T) {
	t.Parallel()
	h := Host{Status: HostVerified, ServicesWanted: []string{"COMPANY", "MEALS", "GARDENING"}, Lat: 45.7, Lng: 4.8}
	s := Student{Status: StudentVerified, ServicesOffered: []string{"MEALS", "SHOPPING", "COMPANY"}}
	if got := AgreedServices(h, s); !slices.Equal(got, []string{"COMPANY", "MEALS"}) {
		t.Fatalf("agreed services %v", got)
	}
	o := Offer{Room: Room{Status: RoomPublished}, Host: h}
	if !o.InPool() {
		t.Fatal("a published room of a verified host is in the pool")
	}
	o.Host.Status = "SUSPENDED"
	if o.InPool() {
		t.Fatal("a suspended host's room is in the pool")
	}
	sk := Seeker{Application: Application{Status: "WITHDRAWN", MoveIn: "2027-02-01", RoomID: "r1", BudgetCents: 100}, Student: s}
	if sk.InPool() {
		t.Fatal("a withdrawn application is in the pool")
	}
	st := sk.ScoreStudent(score.NewLanguageTable())
	if st.MoveIn != score.DayOf(2027, 2, 1) || st.MoveOut != score.NoEnd || st.TargetRoomID != "r1" || st.BudgetCents != 100 {
		t.Fatalf("score student %+v", st)
	}
	if r := o.ScoreRoom(score.NewLanguageTable()); r.Lat != 45.7 || r.Host.ServicesWanted.Count() != 3 {
		t.Fatalf("score room %+v", r)
	}
}

// A profile with no coordinates (0, 0) is an unknown place for the score: the distance is
// unknown, not 0 km, and the commute criterion neutral.
func TestNoCoordinatesIsUnknownNotZeroKm(t *testing.T) {
	t.Parallel()
	langs := score.NewLanguageTable()
	o := Offer{Room: Room{ID: "r1", ProgrammeID: "p", AvailableFrom: "2027-01-01"}, Host: Host{City: "Lyon"}}
	sk := Seeker{Application: Application{ProgrammeID: "p", MoveIn: "2027-02-01", BudgetCents: 100}, Student: Student{StudyCity: "Lyon", MaxCommuteKm: 5}}
	r, st := o.ScoreRoom(langs), sk.ScoreStudent(langs)
	if !math.IsNaN(r.Lat) || !math.IsNaN(st.StudyLat) {
		t.Fatalf("room at %v,%v and place of study at %v,%v; want both unknown (NaN)", r.Lat, r.Lng, st.StudyLat, st.StudyLng)
	}
	res := score.Score(r, st, score.Weights{})
	if !res.Feasible() || !math.IsNaN(res.DistanceKm) {
		t.Fatalf("broken %v, distance %v; want a feasible pair at an unknown distance", res.Broken, res.DistanceKm)
	}
	if it := res.Breakdown[0]; it.Criterion != score.CriterionCommute || it.Note != score.NoteUnknown || it.Value != score.Neutral {
		t.Fatalf("commute item %+v", it)
	}
	o.Host.Lat, o.Host.Lng, o.Host.Approximate = 45.75, 4.85, true
	if r := o.ScoreRoom(langs); r.Lat != 45.75 || r.Lng != 4.85 || !r.ApproximatePosition {
		t.Fatalf("a known place moved, or lost its approximation: %+v", r)
	}
	sk.Student.StudyLat, sk.Student.StudyLng, sk.Student.StudyApproximate = 45.76, 4.83, true
	if st := sk.ScoreStudent(langs); st.StudyLat != 45.76 || !st.ApproximateStudyPlace {
		t.Fatalf("score student %+v", st)
	}
}

package pool

import (
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

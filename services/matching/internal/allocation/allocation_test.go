package allocation

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
	"github.com/cohabit/cohabit/services/platform/errs"
)

func offer(id string, lat, lng float64, cents int) pool.Offer {
	return pool.Offer{
		Room: pool.Room{ID: id, HostID: "h" + id, ProgrammeID: "p", Status: pool.RoomPublished, ContributionCents: cents, AvailableFrom: "2027-01-01"},
		Host: pool.Host{ID: "h" + id, ProgrammeID: "p", Status: pool.HostVerified, Lat: lat, Lng: lng, ServicesWanted: []string{"COMPANY"}, NightsWanted: 4},
	}
}

func seeker(id string, lat, lng float64, budget, nights int) pool.Seeker {
	return pool.Seeker{
		Application: pool.Application{ID: "a" + id, StudentID: id, ProgrammeID: "p", Status: pool.ApplicationSubmitted, BudgetCents: budget, MoveIn: "2027-02-01"},
		Student:     pool.Student{ID: id, ProgrammeID: "p", Status: pool.StudentVerified, StudyLat: lat, StudyLng: lng, MaxCommuteKm: 15, NightsPresent: nights, ServicesOffered: []string{"COMPANY"}},
	}
}

// brute is the optimum by enumeration, over the same scores.
func brute(in Input) int64 {
	t := score.NewLanguageTable()
	n, m := len(in.Seekers), len(in.Offers)
	pts := make([][]int64, n)
	for i, s := range in.Seekers {
		pts[i] = make([]int64, m)
		for j, o := range in.Offers {
			pts[i][j] = -1
			if r := score.Score(o.ScoreRoom(t), s.ScoreStudent(t), score.Weights{}); r.Feasible() {
				pts[i][j] = int64(r.Points)
			}
		}
	}
	used := make([]bool, m)
	var rec func(i int) int64
	rec = func(i int) int64 {
		if i == n {
			return 0
		}
		best := rec(i + 1)
		for j := range m {
			if pts[i][j] >= 0 && !used[j] {
				used[j] = true
				best = max(best, pts[i][j]+rec(i+1))
				used[j] = false
			}
		}
		return best
	}
	return rec(0)
}

func TestRunIsOptimal(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	for k := range 40 {
		var in Input
		for j := range 1 + rng.IntN(4) {
			in.Offers = append(in.Offers, offer(fmt.Sprintf("r%d", j), 45.7+rng.Float64()*0.1, 4.8+rng.Float64()*0.1, 10000+rng.IntN(10000)))
		}
		for i := range 1 + rng.IntN(6) {
			in.Seekers = append(in.Seekers, seeker(fmt.Sprintf("s%d", i), 45.7+rng.Float64()*0.1, 4.8+rng.Float64()*0.1, 12000+rng.IntN(8000), rng.IntN(8)))
		}
		res, err := Run(in, nil, score.Weights{})
		if err != nil {
			t.Fatal(err)
		}
		if want := brute(in); res.TotalPoints != want {
			t.Fatalf("instance %d: total %d, brute force %d", k, res.TotalPoints, want)
		}
		if len(res.Pairs)+len(res.Unmatched) != len(in.Seekers) {
			t.Fatalf("instance %d: %d pairs and %d unmatched for %d students", k, len(res.Pairs), len(res.Unmatched), len(in.Seekers))
		}
	}
}

func TestLockedPairs(t *testing.T) {
	t.Parallel()
	in := Input{
		Offers:  []pool.Offer{offer("r0", 45.76, 4.85, 10000), offer("r1", 45.77, 4.86, 10000)},
		Seekers: []pool.Seeker{seeker("s0", 45.76, 4.85, 20000, 4), seeker("s1", 45.77, 4.86, 20000, 4), seeker("s2", 45.0, 4.0, 20000, 4)},
	}
	res, err := Run(in, []Key{{RoomID: "r1", StudentID: "s0"}}, score.Weights{})
	if err != nil {
		t.Fatal(err)
	}
	p, ok := (&Allocation{Result: res}).Pair(Key{RoomID: "r1", StudentID: "s0"})
	if !ok || !p.Locked {
		t.Fatalf("the locked pair is not kept: %+v", res.Pairs)
	}
	for _, u := range res.Unmatched {
		if u.StudentID == "s2" && (!strings.HasPrefix(u.Reason, ReasonNoFeasibleRoom) || !strings.Contains(u.Reason, "TOO_FAR")) {
			t.Fatalf("reason of the far student: %q", u.Reason)
		}
	}
	for name, locked := range map[string][]Key{
		"unknown room":    {{RoomID: "rx", StudentID: "s0"}},
		"unknown student": {{RoomID: "r0", StudentID: "sx"}},
		"infeasible":      {{RoomID: "r0", StudentID: "s2"}},
		"room twice":      {{RoomID: "r0", StudentID: "s0"}, {RoomID: "r0", StudentID: "s1"}},
	} {
		if _, err := Run(in, locked, score.Weights{}); errs.CodeOf(err) != codes.InvalidArgument {
			t.Errorf("%s: %v", name, err)
		}
	}
	res, err = Run(Input{Seekers: in.Seekers}, nil, score.Weights{})
	if err != nil || len(res.Unmatched) != 3 || res.Unmatched[0].Reason != "NO_FEASIBLE_ROOM: no room in the pool" {
		t.Fatalf("no rooms: %+v %v", res, err)
	}
}

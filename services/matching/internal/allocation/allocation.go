// Package allocation is an allocation run over a programme's intake (SPEC §2): from a snapshot
// of the pool's rooms and applications, the sparse graph of feasible pairs (internal/score),
// then the exact maximum-weight matching with the coordinator's locked pairs
// (internal/assign), with a reason for every student left unmatched. Pure: no I/O.
package allocation

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/assign"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Status is a run's state. Runs are synchronous for now, so RUNNING is never stored.
type Status string

// The statuses.
const (
	StatusRunning   Status = "RUNNING"
	StatusSucceeded Status = "SUCCEEDED"
	StatusFailed    Status = "FAILED"
)

// Input is what a run saw: the pool's available rooms and open applications at its start.
type Input struct {
	Offers  []pool.Offer  `json:"offers"`
	Seekers []pool.Seeker `json:"seekers"`
}

// Key names a pair by its room and student.
type Key struct {
	RoomID    string `json:"roomId"`
	StudentID string `json:"studentId"`
}

// Pair is a room given to a student by a run.
type Pair struct {
	Key
	ApplicationID string  `json:"applicationId"`
	Points        int     `json:"points"`
	Score         float64 `json:"score"`
	Locked        bool    `json:"locked,omitempty"`
}

// Unmatched is a student the run left without a room, and why (a code, then detail).
type Unmatched struct {
	StudentID string `json:"studentId"`
	Reason    string `json:"reason"`
}

// Result is what a run found.
type Result struct {
	Pairs        []Pair      `json:"pairs"`
	TotalPoints  int64       `json:"totalPoints"`
	Unmatched    []Unmatched `json:"unmatched"`
	RoomCount    int         `json:"roomCount"`
	StudentCount int         `json:"studentCount"`
	Failure      string      `json:"failure,omitempty"`
}

// TotalScore is the sum of the pairs' scores (0..100 each).
func (r Result) TotalScore() float64 { return float64(r.TotalPoints) / 100 }

// Allocation is a stored run.
type Allocation struct {
	ID          string    `json:"id"`
	ProgrammeID string    `json:"programmeId"`
	Status      Status    `json:"status"`
	CreatedBy   string    `json:"createdBy"`
	Input       Input     `json:"-"`
	Result      Result    `json:"-"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
}

// Pair returns the run's pair k, and false when the run did not pair them.
func (a *Allocation) Pair(k Key) (Pair, bool) {
	for _, p := range a.Result.Pairs {
		if p.Key == k {
			return p, true
		}
	}
	return Pair{}, false
}

// Unmatched reasons: assign's codes, with the hard constraints that kept a student from every
// room.
const (
	ReasonNoFeasibleRoom = string(assign.NoFeasibleRoom)
	ReasonRoomsTaken     = string(assign.RoomsTaken)
)

// Run solves the allocation of in with the locked pairs kept. Errors: Invalid on
// "lockedPairs" (a room or student not in the input, one locked twice, or a pair that breaks
// a hard constraint); any other error is the solver's and makes a FAILED run.
func Run(in Input, locked []Key, w score.Weights) (Result, error) {
	table := score.NewLanguageTable()
	rooms := make([]score.Room, len(in.Offers))
	roomIx := make(map[string]int, len(in.Offers))
	for j, o := range in.Offers {
		rooms[j] = o.ScoreRoom(table)
		roomIx[o.Room.ID] = j
	}
	students := make([]score.Student, len(in.Seekers))
	studentIx := make(map[string]int, len(in.Seekers))
	for i, s := range in.Seekers {
		students[i] = s.ScoreStudent(table)
		studentIx[s.Student.ID] = i
	}
	res := Result{RoomCount: len(rooms), StudentCount: len(students)}

	var v errs.Violations
	var lockedPairs []assign.Pair
	for k, l := range locked {
		field := fmt.Sprintf("lockedPairs[%d]", k)
		j, okR := roomIx[l.RoomID]
		i, okS := studentIx[l.StudentID]
		switch {
		case !okR:
			v.Add(field+".roomId", "room %s is not available in the programme's pool", l.RoomID)
			continue
		case !okS:
			v.Add(field+".studentId", "student %s has no open application in the programme's pool", l.StudentID)
			continue
		}
		if r := score.Score(rooms[j], students[i], w); !r.Feasible() {
			v.Add(field, "the pair breaks hard constraints: %s", codeList(r.Broken))
			continue
		}
		lockedPairs = append(lockedPairs, assign.Pair{Student: i, Room: j})
	}
	seenR, seenS := map[int]bool{}, map[int]bool{}
	for _, p := range lockedPairs {
		if seenR[p.Room] || seenS[p.Student] {
			v.Add("lockedPairs", "a room or a student is locked twice")
			break
		}
		seenR[p.Room], seenS[p.Student] = true, true
	}
	if err := v.Err(); err != nil {
		return res, err
	}

	// The sparse graph: the ranker's prefilter finds each room's feasible students.
	ranker := score.NewRanker(students, score.RankerOptions{})
	var edges []assign.Edge
	var buf []score.Candidate
	for j, room := range rooms {
		buf = ranker.Feasible(buf[:0], room, w)
		for _, c := range buf {
			edges = append(edges, assign.Edge{Student: int32(c.Index), Room: int32(j), Weight: int64(c.Points)})
		}
	}
	out, err := assign.Solve(assign.Problem{Students: len(students), Rooms: len(rooms), Edges: edges, Locked: lockedPairs})
	if err != nil {
		return res, fmt.Errorf("solve allocation of %d students and %d rooms: %w", len(students), len(rooms), err)
	}
	isLocked := map[[2]int]bool{}
	for _, p := range lockedPairs {
		isLocked[[2]int{p.Student, p.Room}] = true
	}
	for _, p := range out.Pairs {
		s, o := in.Seekers[p.Student], in.Offers[p.Room]
		res.Pairs = append(res.Pairs, Pair{
			Key:           Key{RoomID: o.Room.ID, StudentID: s.Student.ID},
			ApplicationID: s.Application.ID, Points: int(p.Weight), Score: float64(p.Weight) / 100,
			Locked: isLocked[[2]int{p.Student, p.Room}],
		})
		res.TotalPoints += p.Weight
	}
	for _, u := range out.Unmatched {
		reason := string(u.Reason)
		if u.Reason == assign.NoFeasibleRoom {
			reason += ": " + whyNoRoom(rooms, students[u.Student], w)
		} else {
			reason += ": every room this student could take went to another student"
		}
		res.Unmatched = append(res.Unmatched, Unmatched{StudentID: in.Seekers[u.Student].Student.ID, Reason: reason})
	}
	return res, nil
}

// whyNoRoom lists the hard constraints that kept the student from the rooms, the most
// frequent first.
func whyNoRoom(rooms []score.Room, s score.Student, w score.Weights) string {
	if len(rooms) == 0 {
		return "no room in the pool"
	}
	count := map[score.Code]int{}
	for _, r := range rooms {
		for _, c := range score.Score(r, s, w).Broken {
			count[c.Code]++
		}
	}
	keys := make([]score.Code, 0, len(count))
	for c := range count {
		keys = append(keys, c)
	}
	slices.SortFunc(keys, func(a, b score.Code) int {
		return cmp.Or(count[b]-count[a], strings.Compare(string(a), string(b)))
	})
	names := make([]string, len(keys))
	for i, c := range keys {
		names[i] = string(c)
	}
	return strings.Join(names, ", ")
}

func codeList(cs []score.Constraint) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = string(c.Code)
	}
	return strings.Join(names, ", ")
}

package webapp

import (
	"net/http"
	"net/url"
	"strings"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

type allocationsData struct {
	Runs []*matchingv1.Allocation
	More bool
}

// allocations lists the programme's allocation runs, newest first, with the button that
// starts a new one.
func (a *App) allocations(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.matching.ListAllocations(ctx, &matchingv1.ListAllocationsRequest{PageSize: listSize})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	p := a.newPage(w, r, "alloc.title", allocationsData{Runs: res.GetAllocations(), More: res.GetNextPageToken() != ""})
	p.Nav = "allocations"
	p.Form = newForm(formSpec{}, url.Values{"requestId": {NewToken()}})
	a.render(w, r, http.StatusOK, "coord_allocations", p)
}

func allocationURL(id string) string { return "/coordinator/allocations/" + url.PathEscape(id) }

// pairKey is a pair as a form sends it: "roomId~studentId".
func pairKey(roomID, studentID string) string { return roomID + "~" + studentID }

// pairsOf reads the pairs a form checked under name.
func pairsOf(vals []string) []*matchingv1.LockedPair {
	var out []*matchingv1.LockedPair
	seen := map[string]bool{}
	for _, v := range vals {
		room, student, ok := strings.Cut(v, "~")
		if !ok || room == "" || student == "" || seen[v] {
			continue
		}
		seen[v] = true
		out = append(out, &matchingv1.LockedPair{RoomId: room, StudentId: student})
	}
	return out
}

// allocationCreate runs an allocation over the coordinator's programme, keeping the pairs
// she locked (a re-run from a run's page).
func (a *App) allocationCreate(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	run, err := a.svc.matching.CreateAllocation(ctx, &matchingv1.CreateAllocationRequest{
		ProgrammeId: stateOf(r.Context()).me.GetProgrammeId(),
		LockedPairs: pairsOf(r.PostForm["keep"]),
		RequestId:   r.PostFormValue("requestId"),
	})
	if err != nil {
		a.afterAction(w, r, err, "", "/coordinator/allocations")
		return
	}
	setFlash(w, r, flash{Kind: "ok", Key: "alloc.done"})
	redirect(w, r, allocationURL(run.GetId()))
}

// allocPair is a pair of a run with the names the page shows.
type allocPair struct {
	*matchingv1.Pair
	Key     string
	Room    *hostsv1.Room
	Student *studentsv1.Student
}

type allocUnmatched struct {
	*matchingv1.Unmatched
	Student *studentsv1.Student
}

type allocationData struct {
	Run       *matchingv1.Allocation
	Pairs     []allocPair
	Unmatched []allocUnmatched
	// Proposed: the run's pairs that already have a running match, by pair key.
	Proposed map[string]*matchingv1.Match
}

// allocation is one run: its pairs with their scores, the students left without a room and
// why, and the forms that propose chosen pairs or run again with some pairs kept.
func (a *App) allocation(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	var run *matchingv1.Allocation
	var rooms []*hostsv1.Room
	var students []*studentsv1.Student
	var matches []*matchingv1.Match
	err := parallel(
		func() (err error) {
			run, err = a.svc.matching.GetAllocation(ctx, &matchingv1.GetAllocationRequest{Id: r.PathValue("id")})
			return err
		},
		func() error {
			res, err := a.svc.hosts.ListRooms(ctx, &hostsv1.ListRoomsRequest{PageSize: listSize})
			rooms = res.GetRooms()
			return err
		},
		func() error {
			res, err := a.svc.students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: listSize})
			students = res.GetStudents()
			return err
		},
		func() error {
			res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: listSize})
			matches = res.GetMatches()
			return err
		},
	)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	roomByID := map[string]*hostsv1.Room{}
	for _, x := range rooms {
		roomByID[x.GetId()] = x
	}
	studentByID := map[string]*studentsv1.Student{}
	for _, x := range students {
		studentByID[x.GetId()] = x
	}
	d := allocationData{Run: run, Proposed: map[string]*matchingv1.Match{}}
	for _, m := range matches {
		if running(m.GetStatus()) {
			d.Proposed[pairKey(m.GetRoomId(), m.GetStudentId())] = m
		}
	}
	for _, pr := range run.GetPairs() {
		d.Pairs = append(d.Pairs, allocPair{Pair: pr, Key: pairKey(pr.GetRoomId(), pr.GetStudentId()), Room: roomByID[pr.GetRoomId()], Student: studentByID[pr.GetStudentId()]})
	}
	for _, u := range run.GetUnmatched() {
		d.Unmatched = append(d.Unmatched, allocUnmatched{Unmatched: u, Student: studentByID[u.GetStudentId()]})
	}
	p := a.newPage(w, r, "alloc.run.title", d)
	p.Title = p.L.T("alloc.run.titleOf", "date", p.L.Time(run.GetCreateTime()))
	p.Nav = "allocations"
	p.Path = allocationURL(run.GetId())
	p.Form = newForm(formSpec{}, url.Values{"requestId": {NewToken()}})
	a.render(w, r, http.StatusOK, "coord_allocation", p)
}

// allocationPropose turns the chosen pairs of a run into proposals.
func (a *App) allocationPropose(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pairs := pairsOf(r.PostForm["pair"])
	if len(pairs) == 0 {
		setFlash(w, r, flash{Kind: "error", Key: "alloc.propose.none"})
		redirect(w, r, allocationURL(id))
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.matching.ProposeAllocationPairs(ctx, &matchingv1.ProposeAllocationPairsRequest{Id: id, Pairs: pairs})
	a.afterAction(w, r, err, "alloc.propose.done", allocationURL(id))
}

// Unmatched explains why a run left a student without a room. The matching service says
// "CODE: details": NO_FEASIBLE_ROOM lists the constraints that ruled the rooms out
// ("SMOKING, PETS"); ROOMS_TAKEN means the rooms she could take went to others.
func (l *Loc) Unmatched(reason string) string {
	code, detail, _ := strings.Cut(reason, ":")
	code, detail = strings.TrimSpace(code), strings.TrimSpace(detail)
	switch code {
	case "NO_FEASIBLE_ROOM":
		if detail == "" || detail == "no room in the pool" {
			return l.T("alloc.reason.noRoom")
		}
		var names []string
		for _, c := range strings.Split(detail, ",") {
			c = strings.TrimSpace(c)
			names = append(names, l.optional("constraint."+c, c))
		}
		return l.T("alloc.reason.noFeasible", "constraints", strings.Join(names, l.T("list.sep")))
	case "ROOMS_TAKEN":
		return l.T("alloc.reason.roomsTaken")
	}
	return reason
}

package coordinator

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

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
func (a *app) allocations(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Matching.ListAllocations(ctx, &matchingv1.ListAllocationsRequest{PageSize: webapp.ListSize})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	p := a.NewPage(w, r, "alloc.title", allocationsData{Runs: res.GetAllocations(), More: res.GetNextPageToken() != ""})
	p.Nav = "allocations"
	p.Form = webapp.NewForm(webapp.FormSpec{}, url.Values{"requestId": {webapp.NewToken()}})
	a.Render(w, r, http.StatusOK, "coord_allocations", p)
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
func (a *app) allocationCreate(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	run, err := a.Svc.Matching.CreateAllocation(ctx, &matchingv1.CreateAllocationRequest{
		ProgrammeId: webapp.StateOf(r.Context()).Me.GetProgrammeId(),
		LockedPairs: pairsOf(r.PostForm["keep"]),
		RequestId:   r.PostFormValue("requestId"),
	})
	if err != nil {
		a.AfterAction(w, r, err, "", "/coordinator/allocations")
		return
	}
	webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "alloc.done"})
	webapp.Redirect(w, r, allocationURL(run.GetId()))
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
func (a *app) allocation(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	var run *matchingv1.Allocation
	var rooms []*hostsv1.Room
	var students []*studentsv1.Student
	var matches []*matchingv1.Match
	err := webapp.Parallel(
		func() (err error) {
			run, err = a.Svc.Matching.GetAllocation(ctx, &matchingv1.GetAllocationRequest{Id: r.PathValue("id")})
			return err
		},
		func() error {
			res, err := a.Svc.Hosts.ListRooms(ctx, &hostsv1.ListRoomsRequest{PageSize: webapp.ListSize})
			rooms = res.GetRooms()
			return err
		},
		func() error {
			res, err := a.Svc.Students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: webapp.ListSize})
			students = res.GetStudents()
			return err
		},
		func() error {
			res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: webapp.ListSize})
			matches = res.GetMatches()
			return err
		},
	)
	if err != nil {
		a.Fail(w, r, err)
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
		if webapp.Running(m.GetStatus()) {
			d.Proposed[pairKey(m.GetRoomId(), m.GetStudentId())] = m
		}
	}
	for _, pr := range run.GetPairs() {
		d.Pairs = append(d.Pairs, allocPair{Pair: pr, Key: pairKey(pr.GetRoomId(), pr.GetStudentId()), Room: roomByID[pr.GetRoomId()], Student: studentByID[pr.GetStudentId()]})
	}
	for _, u := range run.GetUnmatched() {
		d.Unmatched = append(d.Unmatched, allocUnmatched{Unmatched: u, Student: studentByID[u.GetStudentId()]})
	}
	p := a.NewPage(w, r, "alloc.run.title", d)
	p.Title = p.L.T("alloc.run.titleOf", "date", p.L.Time(run.GetCreateTime()))
	p.Nav = "allocations"
	p.Path = allocationURL(run.GetId())
	p.Form = webapp.NewForm(webapp.FormSpec{}, url.Values{"requestId": {webapp.NewToken()}})
	a.Render(w, r, http.StatusOK, "coord_allocation", p)
}

// allocationPropose turns the chosen pairs of a run into proposals.
func (a *app) allocationPropose(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	pairs := pairsOf(r.PostForm["pair"])
	if len(pairs) == 0 {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "alloc.propose.none"})
		webapp.Redirect(w, r, allocationURL(id))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Matching.ProposeAllocationPairs(ctx, &matchingv1.ProposeAllocationPairsRequest{Id: id, Pairs: pairs})
	a.AfterAction(w, r, err, "alloc.propose.done", allocationURL(id))
}

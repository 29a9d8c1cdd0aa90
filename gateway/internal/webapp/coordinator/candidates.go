package coordinator

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

type candidatesData struct {
	Room       *hostsv1.Room
	Host       *hostsv1.Host
	Candidates []*matchingv1.Candidate
	// From is the rank of the page's first candidate; Next the address of the next page ("").
	From int
	Next string
	// Matches are the room's matches still running, by student id.
	Matches map[string]*matchingv1.Match
}

// candidatesPage is how many candidates a page shows, each with its breakdown.
const candidatesPage = 20

// candidates is a room's students ranked by score, each score explained.
func (a *app) candidates(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := a.Call(r)
	defer cancel()
	d := candidatesData{Matches: make(map[string]*matchingv1.Match), From: 1}
	// A later page: ?after=<the ranking's token>&from=<rank of its first candidate>.
	after := r.URL.Query().Get("after")
	if n, err := strconv.Atoi(r.URL.Query().Get("from")); err == nil && n > 1 && after != "" {
		d.From = n
	}
	var matches []*matchingv1.Match
	err := webapp.Parallel(
		func() (err error) {
			d.Room, err = a.Svc.Hosts.GetRoom(ctx, &hostsv1.GetRoomRequest{Id: id})
			return err
		},
		func() error {
			res, err := a.Svc.Matching.ListCandidates(ctx, &matchingv1.ListCandidatesRequest{RoomId: id, PageSize: candidatesPage, PageToken: after})
			d.Candidates = res.GetCandidates()
			if tok := res.GetNextPageToken(); tok != "" {
				d.Next = "/coordinator/rooms/" + url.PathEscape(id) + "/candidates?" +
					url.Values{"after": {tok}, "from": {strconv.Itoa(d.From + len(d.Candidates))}}.Encode()
			}
			return err
		},
		func() error {
			res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{RoomId: id, PageSize: webapp.ListSize})
			matches = res.GetMatches()
			return err
		},
	)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	if h, err := a.Svc.Hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: d.Room.GetHostId()}); err == nil {
		d.Host = h
	}
	for _, m := range matches {
		if webapp.Running(m.GetStatus()) {
			d.Matches[m.GetStudentId()] = m
		}
	}
	p := a.NewPage(w, r, "cand.title", d)
	p.Title = p.L.T("cand.title", "room", d.Room.GetTitle())
	p.Nav = "hosts"
	a.Render(w, r, http.StatusOK, "coord_candidates", p)
}

func (a *app) propose(w http.ResponseWriter, r *http.Request) {
	roomID := r.PathValue("id")
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Matching.CreateMatch(ctx, &matchingv1.CreateMatchRequest{
		RoomId: roomID, StudentId: r.PostFormValue("studentId"), RequestId: r.PostFormValue("requestId"),
	})
	a.AfterAction(w, r, err, "cand.proposed", "/coordinator/rooms/"+url.PathEscape(roomID)+"/candidates")
}

package coordinator

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

// scheduleMeeting records when the parties meet: a date and time typed in the programme's
// time zone (what a datetime-local input sends). The parties answer after the meeting.
func (a *app) scheduleMeeting(w http.ResponseWriter, r *http.Request) {
	back := webapp.LocalPath(r.PostFormValue("next"), "/coordinator#matches")
	at, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(r.PostFormValue("meetingAt")), a.TZ)
	if err != nil {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "match.schedule.invalid"})
		webapp.Redirect(w, r, back)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err = a.Svc.Matching.ScheduleMeeting(ctx, &matchingv1.ScheduleMeetingRequest{Id: r.PathValue("id"), MeetingAt: timestamppb.New(at)})
	a.AfterAction(w, r, err, "match.scheduled", back)
}

type matchesListData struct {
	Matches []*matchingv1.Match
	More    bool
}

// matchesList is the programme's matches, filtered by status.
func (a *app) matchesList(w http.ResponseWriter, r *http.Request) {
	listPage(a, w, r, "matches", matchingv1.MatchStatus_value, false, func(ctx context.Context, st matchingv1.MatchStatus, _ string) (any, error) {
		res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: webapp.ListSize, Status: st})
		return matchesListData{Matches: res.GetMatches(), More: res.GetNextPageToken() != ""}, err
	})
}

type matchPageData struct {
	Match *matchingv1.Match
	// Open: the parties may still answer; Running: the match may still be cancelled.
	Open, Running bool
	// Contracts drafted from the match (one; none before approval), linked from its page.
	Contracts []*contractsv1.Contract
}

// matchPage is one match: both parties, its state and meeting, and what the coordinator
// may do next (schedule, answer for a party, approve, cancel).
func (a *app) matchPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	m, err := a.Svc.Matching.GetMatch(ctx, &matchingv1.GetMatchRequest{Id: r.PathValue("id")})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	st := m.GetStatus()
	d := matchPageData{
		Match:   m,
		Open:    st == matchingv1.MatchStatus_MATCH_STATUS_PROPOSED || st == matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED,
		Running: webapp.Running(st),
	}
	if st == matchingv1.MatchStatus_MATCH_STATUS_APPROVED || st == matchingv1.MatchStatus_MATCH_STATUS_COMPLETED || st == matchingv1.MatchStatus_MATCH_STATUS_CANCELLED {
		if res, err := a.Svc.Contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{MatchId: m.GetId(), PageSize: 5}); err == nil {
			d.Contracts = res.GetContracts()
		}
	}
	p := a.NewPage(w, r, "match.title", d)
	p.Title = p.L.T("match.titleOf", "host", m.GetHost().GetDisplayName(), "student", m.GetStudent().GetDisplayName())
	p.Nav = "matches"
	p.Desk = a.notesOf(r, nil, m.GetId(), deskv1.SubjectType_SUBJECT_TYPE_MATCH)
	a.Render(w, r, http.StatusOK, "coord_match", p)
}

func matchURL(id string) string { return "/coordinator/matches/" + url.PathEscape(id) }

// matchAnswer records a party's yes or no on their behalf (a no needs its reason).
func (a *app) matchAnswer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	party := matchingv1.Party(matchingv1.Party_value[r.PostFormValue("party")])
	if party == matchingv1.Party_PARTY_UNSPECIFIED {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "match.answer.noParty"})
		webapp.Redirect(w, r, matchURL(id))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	var err error
	if r.PostFormValue("answer") == "accept" {
		_, err = a.Svc.Matching.AcceptMatch(ctx, &matchingv1.AcceptMatchRequest{Id: id, Party: party})
		a.AfterAction(w, r, err, "match.answer.accepted", matchURL(id))
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "match.answer.needReason"})
		webapp.Redirect(w, r, matchURL(id))
		return
	}
	_, err = a.Svc.Matching.DeclineMatch(ctx, &matchingv1.DeclineMatchRequest{Id: id, Party: party, Reason: reason})
	a.AfterAction(w, r, err, "match.answer.declined", matchURL(id))
}

func (a *app) matchApprove(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Matching.ApproveMatch(ctx, &matchingv1.ApproveMatchRequest{Id: id})
	a.AfterAction(w, r, err, "match.approved", matchURL(id))
}

func (a *app) matchCancel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "match.cancel.needReason"})
		webapp.Redirect(w, r, matchURL(id))
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Matching.CancelMatch(ctx, &matchingv1.CancelMatchRequest{Id: id, Reason: reason})
	a.AfterAction(w, r, err, "match.cancelled", matchURL(id))
}

package webapp

import (
	"net/http"
	"net/url"
	"strings"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

type matchesListData struct {
	Matches []*matchingv1.Match
	Status  string
	More    bool
}

// matchesList is the programme's matches, filtered by status.
func (a *App) matchesList(w http.ResponseWriter, r *http.Request) {
	st := matchingv1.MatchStatus(matchingv1.MatchStatus_value[r.URL.Query().Get("status")])
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{PageSize: listSize, Status: st})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	d := matchesListData{Matches: res.GetMatches(), More: res.GetNextPageToken() != ""}
	if st != matchingv1.MatchStatus_MATCH_STATUS_UNSPECIFIED {
		d.Status = st.String()
	}
	p := a.newPage(w, r, "matches.title", d)
	p.Nav = "matches"
	p.Form = newForm(formSpec{{Name: "status", Label: "matches.filter.status"}}, url.Values{"status": {d.Status}})
	a.render(w, r, http.StatusOK, "coord_matches", p)
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
func (a *App) matchPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	m, err := a.svc.matching.GetMatch(ctx, &matchingv1.GetMatchRequest{Id: r.PathValue("id")})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	st := m.GetStatus()
	d := matchPageData{
		Match:   m,
		Open:    st == matchingv1.MatchStatus_MATCH_STATUS_PROPOSED || st == matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED,
		Running: running(st),
	}
	if st == matchingv1.MatchStatus_MATCH_STATUS_APPROVED || st == matchingv1.MatchStatus_MATCH_STATUS_COMPLETED || st == matchingv1.MatchStatus_MATCH_STATUS_CANCELLED {
		if res, err := a.svc.contracts.ListContracts(ctx, &contractsv1.ListContractsRequest{MatchId: m.GetId(), PageSize: 5}); err == nil {
			d.Contracts = res.GetContracts()
		}
	}
	p := a.newPage(w, r, "match.title", d)
	p.Title = p.L.T("match.titleOf", "host", m.GetHost().GetDisplayName(), "student", m.GetStudent().GetDisplayName())
	p.Nav = "matches"
	p.Desk = a.notesOf(r, nil, m.GetId(), deskv1.SubjectType_SUBJECT_TYPE_MATCH)
	a.render(w, r, http.StatusOK, "coord_match", p)
}

func matchURL(id string) string { return "/coordinator/matches/" + url.PathEscape(id) }

// matchAnswer records a party's yes or no on their behalf (a no needs its reason).
func (a *App) matchAnswer(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	party := matchingv1.Party(matchingv1.Party_value[r.PostFormValue("party")])
	if party == matchingv1.Party_PARTY_UNSPECIFIED {
		setFlash(w, r, flash{Kind: "error", Key: "match.answer.noParty"})
		redirect(w, r, matchURL(id))
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	var err error
	if r.PostFormValue("answer") == "accept" {
		_, err = a.svc.matching.AcceptMatch(ctx, &matchingv1.AcceptMatchRequest{Id: id, Party: party})
		a.afterAction(w, r, err, "match.answer.accepted", matchURL(id))
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		setFlash(w, r, flash{Kind: "error", Key: "match.answer.needReason"})
		redirect(w, r, matchURL(id))
		return
	}
	_, err = a.svc.matching.DeclineMatch(ctx, &matchingv1.DeclineMatchRequest{Id: id, Party: party, Reason: reason})
	a.afterAction(w, r, err, "match.answer.declined", matchURL(id))
}

func (a *App) matchApprove(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.matching.ApproveMatch(ctx, &matchingv1.ApproveMatchRequest{Id: id})
	a.afterAction(w, r, err, "match.approved", matchURL(id))
}

func (a *App) matchCancel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" {
		setFlash(w, r, flash{Kind: "error", Key: "match.cancel.needReason"})
		redirect(w, r, matchURL(id))
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.matching.CancelMatch(ctx, &matchingv1.CancelMatchRequest{Id: id, Reason: reason})
	a.afterAction(w, r, err, "match.cancelled", matchURL(id))
}

package webapp

import (
	"slices"
	"strings"
	"time"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
)

// Running reports a match that still stands (not ended one way or another).
func Running(s matchingv1.MatchStatus) bool {
	switch s {
	case matchingv1.MatchStatus_MATCH_STATUS_PROPOSED, matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED,
		matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED, matchingv1.MatchStatus_MATCH_STATUS_APPROVED:
		return true
	}
	return false
}

// Stay is one pairing of the signed-in host or student, from its proposal to its end: the
// match and, once drafted, its contract. Homes show each stay at every step, in plain words
// with the next thing the person can do: a host who has just signed still sees her contract
// (waiting for the student), an accepted proposal does not vanish while the coordinator
// approves it and drafts the contract.
type Stay struct {
	Match    *matchingv1.Match     // nil when only the contract is known (the match is older than the list)
	Contract *contractsv1.Contract // nil before the draft
	// Other is the other party's name.
	Other string
	// Step names where the stay is: the sentence "stay.<role>.<step>" says it.
	Step string
	// Date is the date the sentence names (YYYY-MM-DD); a meeting's time is the match's.
	Date string
	role string
	// What the person can do now.
	CanAnswer, CanSign, CanReport bool
}

// Steps of a stay, in their order.
const (
	stepProposed        = "proposed"        // the coordinator proposed; the meeting is being arranged
	stepMeeting         = "meeting"         // the meeting is set; the person answers after it
	stepMeetingAccepted = "meetingAccepted" // she said yes; the other party has not yet
	stepAccepted        = "accepted"        // both said yes; the coordinator approves
	stepApproved        = "approved"        // approved; the contract is being drafted
	stepDraft           = "draft"           // the coordinator prepares the contract
	stepToSign          = "toSign"          // her signature is awaited
	stepSignedWaiting   = "signedWaiting"   // she signed; the other party has not yet
	stepSignedSoon      = "signedSoon"      // active, before the move-in
	stepActive          = "active"          // the stay is under way
	stepNotice          = "notice"          // notice given: the stay ends on its date
	stepEnded           = "ended"           // over (ended or terminated)
)

// Sentence is the stay's step in plain words, in l's language.
func (s Stay) Sentence(l *Loc) string {
	date := ""
	if s.Date != "" {
		date = l.Date(s.Date)
	}
	return l.T("stay."+s.role+"."+s.Step, "name", s.Other, "date", date, "when", l.Time(s.Match.GetMeetingTime()))
}

// Ongoing reports a stay whose contract is signed by both and not over: the person lives it.
func (s Stay) Ongoing() bool {
	return s.Step == stepSignedSoon || s.Step == stepActive || s.Step == stepNotice
}

// Formed reports a stay past the answers: both said yes, so the pair is formed (the student's
// application is no longer hers to withdraw from her home, she calls the association).
func (s Stay) Formed() bool {
	switch s.Step {
	case stepProposed, stepMeeting, stepMeetingAccepted:
		return false
	}
	return s.Step != stepEnded
}

// Stays builds the stays of a host (role "host") or a student ("student") from the matches
// and contracts she lists: one per contract that was not cancelled, one per match still
// standing without a contract yet. A stay that is over shows only while there is no other
// one (the last news of her home: "your stay ended on …"). today is YYYY-MM-DD.
func Stays(role string, matches []*matchingv1.Match, contracts []*contractsv1.Contract, today string) []Stay {
	byID := make(map[string]*matchingv1.Match, len(matches))
	for _, m := range matches {
		byID[m.GetId()] = m
	}
	var out, over []Stay
	withContract := make(map[string]bool)
	for _, c := range contracts {
		if c.GetStatus() == contractsv1.ContractStatus_CONTRACT_STATUS_CANCELLED || c.GetStatus() == contractsv1.ContractStatus_CONTRACT_STATUS_UNSPECIFIED {
			continue
		}
		withContract[c.GetMatchId()] = true
		s := contractStay(role, c, today)
		s.Match = byID[c.GetMatchId()]
		if s.Step == stepEnded {
			over = append(over, s)
			continue
		}
		out = append(out, s)
	}
	for _, m := range matches {
		if withContract[m.GetId()] || !Running(m.GetStatus()) {
			continue
		}
		out = append(out, matchStay(role, m))
	}
	if len(out) == 0 && len(over) > 0 {
		// The latest one ended.
		slices.SortFunc(over, func(x, y Stay) int { return strings.Compare(y.Date, x.Date) })
		out = over[:1]
	}
	// The most advanced first: a contract before a proposal.
	slices.SortStableFunc(out, func(x, y Stay) int {
		return stepRank(y.Step) - stepRank(x.Step)
	})
	return out
}

func stepRank(step string) int {
	return slices.Index([]string{stepEnded, stepProposed, stepMeeting, stepMeetingAccepted, stepAccepted, stepApproved,
		stepDraft, stepToSign, stepSignedWaiting, stepSignedSoon, stepNotice, stepActive}, step)
}

func matchStay(role string, m *matchingv1.Match) Stay {
	s := Stay{Match: m, role: role, Other: m.GetHost().GetDisplayName()}
	mine := m.GetStudentAccepted()
	if role == RoleHost {
		s.Other, mine = m.GetStudent().GetDisplayName(), m.GetHostAccepted()
	}
	switch m.GetStatus() {
	case matchingv1.MatchStatus_MATCH_STATUS_PROPOSED:
		s.Step, s.CanAnswer = stepProposed, true
	case matchingv1.MatchStatus_MATCH_STATUS_MEETING_SCHEDULED:
		s.Step, s.CanAnswer = stepMeeting, !mine
		if mine {
			s.Step = stepMeetingAccepted
		}
	case matchingv1.MatchStatus_MATCH_STATUS_ACCEPTED:
		s.Step = stepAccepted
	default: // APPROVED: the contract follows through events
		s.Step = stepApproved
	}
	return s
}

func contractStay(role string, c *contractsv1.Contract, today string) Stay {
	t := c.GetTerms()
	s := Stay{Contract: c, role: role, Other: c.GetHostDisplayName()}
	me, other := matchingv1.Party_PARTY_STUDENT, matchingv1.Party_PARTY_HOST
	if role == RoleHost {
		s.Other, me, other = c.GetStudentDisplayName(), matchingv1.Party_PARTY_HOST, matchingv1.Party_PARTY_STUDENT
	}
	switch c.GetStatus() {
	case contractsv1.ContractStatus_CONTRACT_STATUS_DRAFT:
		s.Step, s.Date = stepDraft, t.GetStartDate()
	case contractsv1.ContractStatus_CONTRACT_STATUS_AWAITING_SIGNATURES:
		switch {
		case !Signed(c, me):
			s.Step, s.CanSign = stepToSign, true
		case !Signed(c, other):
			s.Step = stepSignedWaiting
		default: // both signed, activation on its way
			s.Step, s.Date = stepSignedSoon, t.GetStartDate()
		}
	case contractsv1.ContractStatus_CONTRACT_STATUS_ACTIVE:
		// A problem may be reported from the signature on, before the move-in too.
		s.Step, s.Date, s.CanReport = stepActive, t.GetEndDate(), true
		if t.GetStartDate() > today {
			s.Step, s.Date = stepSignedSoon, t.GetStartDate()
		}
	case contractsv1.ContractStatus_CONTRACT_STATUS_NOTICE_GIVEN:
		s.Step, s.Date, s.CanReport = stepNotice, c.GetTermination().GetEffectiveDate(), true
	case contractsv1.ContractStatus_CONTRACT_STATUS_TERMINATED:
		s.Step, s.Date = stepEnded, c.GetTermination().GetEffectiveDate()
	default: // ENDED
		s.Step, s.Date = stepEnded, t.GetEndDate()
	}
	return s
}

// TodayISO is the programme's date today, YYYY-MM-DD.
func (a *App) TodayISO() string { return a.Today().Format(time.DateOnly) }

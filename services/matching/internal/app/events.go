package app

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/matching/internal/allocation"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/platform/event"
)

// statusEvents: the event each status a transition reaches publishes (MatchChanged).
var statusEvents = map[match.Status]eventcat.Event[*matchingeventsv1.MatchChanged]{
	match.StatusProposed:         matchingevents.MatchProposed,
	match.StatusMeetingScheduled: matchingevents.MatchMeetingScheduled,
	match.StatusAccepted:         matchingevents.MatchAccepted,
	match.StatusDeclined:         matchingevents.MatchDeclined,
	match.StatusCancelled:        matchingevents.MatchCancelled,
	match.StatusExpired:          matchingevents.MatchExpired,
	match.StatusCompleted:        matchingevents.MatchCompleted,
}

func matchSummary(m *match.Match) *matchingeventsv1.MatchSummary {
	r := m.Record()
	return &matchingeventsv1.MatchSummary{
		MatchId: r.ID, ProgrammeId: r.ProgrammeID, RoomId: r.Pair.RoomID, HostId: r.Pair.HostID,
		StudentId: r.Pair.StudentID, ApplicationId: r.Pair.ApplicationID, Status: string(r.Status), Score: r.Score,
	}
}

// changed is the MatchChanged event of m's new status; party names the side that answered
// (accept, decline), "" otherwise.
func changed(m *match.Match, party match.Party, at time.Time) (*eventsv1.Envelope, error) {
	e := &matchingeventsv1.MatchChanged{Match: matchSummary(m), Party: string(party), WasApproved: m.Record().WasApproved}
	if t := m.Record().MeetingAt; !t.IsZero() {
		e.MeetingTime = timestamppb.New(t)
	}
	return event.Of(statusEvents[m.Status()], m.ProgrammeID(), at, e)
}

// approved is the MatchApproved event: what the contracts service needs to draft the
// contract, taken from the pool as it is at approval.
func approved(m *match.Match, o pool.Offer, s pool.Seeker, at time.Time) (*eventsv1.Envelope, error) {
	agreed := pool.AgreedServices(o.Host, s.Student)
	svcs := make([]typev1.Service, 0, len(agreed))
	for _, n := range agreed {
		svcs = append(svcs, typev1.Service(typev1.Service_value["SERVICE_"+n]))
	}
	return event.Of(matchingevents.MatchApproved, m.ProgrammeID(), at, &matchingeventsv1.MatchApproved{
		Match:                    matchSummary(m),
		MoveInDate:               s.Application.MoveIn,
		MoveOutDate:              s.Application.MoveOut,
		MonthlyContributionCents: int32(o.Room.ContributionCents),
		FormulaId:                o.Room.FormulaID,
		AgreedServices:           svcs,
		EveningsPerWeek:          int32(min(o.Host.NightsWanted, s.Student.NightsPresent)),
		HoursPerWeek:             int32(min(o.Host.HoursWanted, s.Student.HoursOffered)),
		HostAssisted:             o.Host.Assisted,
		RoomAreaM2:               o.Room.AreaM2,
		RoomTitle:                o.Room.Title,
		RoomSharedSpaces:         o.Room.SharedSpaces,
		// The contract never leaves the room's availability, and ends with it when the stay
		// is open-ended.
		RoomAvailableFrom:   o.Room.AvailableFrom,
		RoomAvailableUntil:  o.Room.AvailableUntil,
		ApprovedByAccountId: m.Record().ApprovedBy,
	})
}

func allocationFinished(a *allocation.Allocation, at time.Time) (*eventsv1.Envelope, error) {
	ev := matchingevents.AllocationSucceeded
	if a.Status == allocation.StatusFailed {
		ev = matchingevents.AllocationFailed
	}
	payload := &matchingeventsv1.AllocationFinished{
		AllocationId: a.ID, ProgrammeId: a.ProgrammeID, PairCount: int32(len(a.Result.Pairs)),
		UnmatchedCount: int32(len(a.Result.Unmatched)), TotalScore: a.Result.TotalScore(),
	}
	return event.Of(ev, a.ProgrammeID, at, payload)
}

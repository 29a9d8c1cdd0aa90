package grpcapi

import (
	"math"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/matching/internal/allocation"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

func breakdownToProto(items []score.Item) []*matchingv1.ScoreItem {
	out := make([]*matchingv1.ScoreItem, len(items))
	for i, it := range items {
		out[i] = &matchingv1.ScoreItem{
			// Rounded for people: the score itself is computed from the exact values.
			Criterion: string(it.Criterion), Weight: it.Weight, Value: round(it.Value, 3), Contribution: round(it.Contribution, 2),
			ReasonFr: it.ReasonFR, ReasonEn: it.ReasonEN, Note: string(it.Note),
		}
	}
	return out
}

// distance is a score's distance for the API: an unknown one (NaN) is 0 with unknown set,
// never "0 km" alone.
func distance(km float64) (float64, bool) {
	if math.IsNaN(km) {
		return 0, true
	}
	return km, false
}

func round(x float64, decimals int) float64 {
	p := math.Pow10(decimals)
	return math.Round(x*p) / p
}

func brokenToProto(cs []score.Constraint) []*matchingv1.BrokenConstraint {
	out := make([]*matchingv1.BrokenConstraint, len(cs))
	for i, c := range cs {
		out[i] = &matchingv1.BrokenConstraint{Code: string(c.Code), ReasonFr: c.ReasonFR, ReasonEn: c.ReasonEN}
	}
	return out
}

func servicesToProto(names []string) []typev1.Service {
	out := make([]typev1.Service, 0, len(names))
	for _, n := range names {
		out = append(out, typev1.Service(typev1.Service_value["SERVICE_"+n]))
	}
	return out
}

func summaryToProto(s pool.Summary) *matchingv1.PartySummary {
	return &matchingv1.PartySummary{
		DisplayName: s.DisplayName, Age: int32(s.Age), Languages: s.Languages, Services: servicesToProto(s.Services),
		Rhythm: typev1.Rhythm(typev1.Rhythm_value["RHYTHM_"+s.Rhythm]), City: s.City,
	}
}

func timeToProto(t time.Time) *timestamppb.Timestamp {
	if t.IsZero() {
		return nil
	}
	return timestamppb.New(t)
}

func partyToProto(p match.Party) matchingv1.Party {
	return matchingv1.Party(matchingv1.Party_value["PARTY_"+string(p)])
}

func partyFromProto(p matchingv1.Party) match.Party {
	return match.Party(protoenum.Name(p, matchingv1.Party_name, "PARTY_"))
}

func matchToProto(m *match.Match) *matchingv1.Match {
	r := m.Record()
	return &matchingv1.Match{
		Id: r.ID, ProgrammeId: r.ProgrammeID, RoomId: r.Pair.RoomID, HostId: r.Pair.HostID, StudentId: r.Pair.StudentID,
		ApplicationId: r.Pair.ApplicationID,
		Status:        matchingv1.MatchStatus(matchingv1.MatchStatus_value["MATCH_STATUS_"+string(r.Status)]),
		Score:         r.Score, MeetingTime: timeToProto(r.MeetingAt),
		HostAccepted: r.HostAccepted, StudentAccepted: r.StudentAccepted,
		HostAnsweredBy: r.HostAnsweredBy, StudentAnsweredBy: r.StudentAnsweredBy,
		DeclinedBy: partyToProto(r.DeclinedBy), DeclineReason: r.DeclineReason, CancelReason: r.CancelReason,
		ApprovedBy: r.ApprovedBy, ExpireTime: timeToProto(r.ExpireAt),
		Host: summaryToProto(r.Pair.Host), Student: summaryToProto(r.Pair.Student),
		Etag: m.Etag(), CreateTime: timeToProto(r.CreatedAt), UpdateTime: timeToProto(r.UpdatedAt),
	}
}

func allocationToProto(a *allocation.Allocation) *matchingv1.Allocation {
	res := a.Result
	out := &matchingv1.Allocation{
		Id: a.ID, ProgrammeId: a.ProgrammeID,
		Status:     matchingv1.AllocationStatus(matchingv1.AllocationStatus_value["ALLOCATION_STATUS_"+string(a.Status)]),
		TotalScore: res.TotalScore(), RoomCount: int32(res.RoomCount), StudentCount: int32(res.StudentCount),
		Failure: res.Failure, CreateTime: timeToProto(a.CreatedAt), UpdateTime: timeToProto(a.UpdatedAt),
	}
	for _, p := range res.Pairs {
		out.Pairs = append(out.Pairs, &matchingv1.Pair{RoomId: p.RoomID, StudentId: p.StudentID, Score: p.Score, Locked: p.Locked})
	}
	for _, u := range res.Unmatched {
		out.Unmatched = append(out.Unmatched, &matchingv1.Unmatched{StudentId: u.StudentID, Reason: u.Reason})
	}
	return out
}

func keysFromProto(ps []*matchingv1.LockedPair) []allocation.Key {
	out := make([]allocation.Key, len(ps))
	for i, p := range ps {
		out[i] = allocation.Key{RoomID: p.GetRoomId(), StudentID: p.GetStudentId()}
	}
	return out
}

// Package matchingevents is the catalogue of the matching service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package matchingevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
)

// Stream holds every subject under cohabit.matching.>.
var Stream = eventcat.NewStream("MATCHING", "matching")

// The events, named <Record><Fact>.
var (
	MatchProposed         = eventcat.Define[*matchingeventsv1.MatchChanged](Stream, "cohabit.matching.match.proposed")
	MatchMeetingScheduled = eventcat.Define[*matchingeventsv1.MatchChanged](Stream, "cohabit.matching.match.meeting_scheduled")
	MatchAccepted         = eventcat.Define[*matchingeventsv1.MatchChanged](Stream, "cohabit.matching.match.accepted")
	MatchDeclined         = eventcat.Define[*matchingeventsv1.MatchChanged](Stream, "cohabit.matching.match.declined")
	MatchCancelled        = eventcat.Define[*matchingeventsv1.MatchChanged](Stream, "cohabit.matching.match.cancelled")
	MatchExpired          = eventcat.Define[*matchingeventsv1.MatchChanged](Stream, "cohabit.matching.match.expired")
	MatchApproved         = eventcat.Define[*matchingeventsv1.MatchApproved](Stream, "cohabit.matching.match.approved")
	MatchCompleted        = eventcat.Define[*matchingeventsv1.MatchChanged](Stream, "cohabit.matching.match.completed")
	AllocationSucceeded   = eventcat.Define[*matchingeventsv1.AllocationFinished](Stream, "cohabit.matching.allocation.succeeded")
	AllocationFailed      = eventcat.Define[*matchingeventsv1.AllocationFinished](Stream, "cohabit.matching.allocation.failed")
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the matching service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.matching.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{MatchProposed, MatchMeetingScheduled, MatchAccepted, MatchDeclined, MatchCancelled, MatchExpired, MatchApproved, MatchCompleted, AllocationSucceeded, AllocationFailed, AuditRecorded}
}

// Package eventsub moves students and their applications along the chain of SPEC §4 from
// other services' events (students never calls them), through the consumers every side of a
// stay shares (platform/stay): "students-matching" (match approved: application matched;
// match cancelled after approval: resubmitted), "students-contracts" (contract activated:
// student and application placed; ended or terminated: student released; cancelled:
// resubmitted, and released when it was active) and "students-invitations" (a student's
// invitation accepted: the account owns the student), each in the event's inbox transaction,
// which changes the records and writes their own events (application.matched, .placed,
// .resubmitted; student.placed, .released, .updated) to the outbox.
//
// Handlers are state-based: how far each match's chain has been applied (placement.Status)
// is stored per match, so that an event applied twice, or a second telling of one fact (a
// contract cancelled, then its match cancelled by matching), changes nothing.
//
// Retry or terminate, per event (the policy is platform/consume's):
//   - retried later when the records are not ready for it yet (placement.ErrNotYet): the
//     contract activated, ended or cancelled before the match's approval (or the activation)
//     was applied; an approval while the application is still MATCHED by a previous match
//     whose cancellation is on its way; an activation while the student is still PLACED by a
//     stay whose end is on its way.
//   - terminated: an application students does not know, an approval of an application that
//     is withdrawn or placed (and every later event of that match), an activation after the
//     match was cancelled, a cancellation "before the stay" of a placed student.
package eventsub

import (
	"log/slog"

	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/stay"
	"github.com/cohabit/cohabit/services/students/internal/app"
)

// Consumers returns the students service's consumers of the MATCHING, CONTRACTS and IDENTITY
// streams.
func Consumers(db pg.Beginner, a *app.App, log *slog.Logger) []*natsx.Consumer {
	return stay.Party[*app.App]{
		Service:           "students",
		DB:                db,
		Within:            a.Within,
		OfMatch:           (*matchingeventsv1.MatchSummary).GetApplicationId,
		OfContract:        (*contractseventsv1.ContractSummary).GetApplicationId,
		Approved:          (*app.App).MatchApplication,
		MatchCancelled:    (*app.App).UnmatchApplication,
		Activated:         (*app.App).PlaceStudent,
		Ended:             (*app.App).EndStay,
		ContractCancelled: (*app.App).CancelStay, // also after activation: cancelled before its start date
		Kind:              identityv1.RecordKind_RECORD_KIND_STUDENT,
		Claim:             (*app.App).ClaimStudent,
	}.Consumers(log)
}

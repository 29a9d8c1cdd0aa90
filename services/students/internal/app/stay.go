package app

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/placement"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// The use cases of a match's chain (SPEC §4) act on one event: which match, which
// application. Each runs on an App bound to the event's inbox transaction (Within), and
// refuses to run outside one.

// MatchApplication applies a match's approval: the application becomes MATCHED and leaves the
// pool (application.matched). Errors: placement.ErrNotYet (retry later), FailedPrecondition
// (no retry can apply it), NotFound, the database's.
func (a *App) MatchApplication(ctx context.Context, matchID, applicationID string) error {
	return a.applyPlacement(ctx, matchID, applicationID, func(p placement.Status, app *application.Application, _ *student.Student, at time.Time) (placement.Outcome, error) {
		return placement.Match(p, app, at)
	}, studentsevents.ApplicationMatched.Subject, "")
}

// PlaceStudent applies the activation of the match's contract: the application and the
// student become PLACED (application.placed, student.placed). Errors: as MatchApplication.
func (a *App) PlaceStudent(ctx context.Context, matchID, applicationID string) error {
	return a.applyPlacement(ctx, matchID, applicationID, placement.Place, studentsevents.ApplicationPlaced.Subject, studentsevents.StudentPlaced.Subject)
}

// EndStay applies the end or termination of the match's contract: the student is VERIFIED
// again and may apply to return to the pool (student.released); the application stays
// PLACED. Errors: as MatchApplication.
func (a *App) EndStay(ctx context.Context, matchID, applicationID string) error {
	return a.applyPlacement(ctx, matchID, applicationID, placement.End, "", studentsevents.StudentReleased.Subject)
}

// UnmatchApplication applies the cancellation of the match, or its contract, before the
// stay: the application is SUBMITTED again, back in the pool (application.resubmitted).
// Errors: as MatchApplication.
func (a *App) UnmatchApplication(ctx context.Context, matchID, applicationID string) error {
	return a.applyPlacement(ctx, matchID, applicationID, func(p placement.Status, app *application.Application, _ *student.Student, at time.Time) (placement.Outcome, error) {
		return placement.Cancel(p, app, at)
	}, studentsevents.ApplicationResubmitted.Subject, "")
}

// CancelStay applies the cancellation of the match's contract, only ever before its start
// date: as UnmatchApplication, and when the contract was active the student is VERIFIED
// again too (student.released) with the application back in the pool
// (application.resubmitted). Errors: as MatchApplication.
func (a *App) CancelStay(ctx context.Context, matchID, applicationID string) error {
	return a.applyPlacement(ctx, matchID, applicationID, placement.CancelStay, studentsevents.ApplicationResubmitted.Subject, studentsevents.StudentReleased.Subject)
}

type decide func(placement.Status, *application.Application, *student.Student, time.Time) (placement.Outcome, error)

// applyPlacement runs one step of the chain; each record that moved publishes its event
// (applicationSubject, studentSubject).
func (a *App) applyPlacement(ctx context.Context, matchID, applicationID string, step decide, applicationSubject, studentSubject string) error {
	return a.store.ApplyPlacement(ctx, applicationID, matchID,
		func(app *application.Application, st *student.Student, p placement.Status) (placement.Outcome, []*eventsv1.Envelope, error) {
			now := a.now()
			out, err := step(p, app, st, now)
			if err != nil {
				return placement.Outcome{Next: p}, nil, err
			}
			var events []*eventsv1.Envelope
			if out.Application && applicationSubject != "" {
				ev, err := applicationEvent(applicationSubject, app, st, now)
				if err != nil {
					return out, nil, err
				}
				events = append(events, ev)
			}
			if out.Student && studentSubject != "" {
				ev, err := studentEvent(studentSubject, st, now)
				if err != nil {
					return out, nil, err
				}
				events = append(events, ev)
			}
			return out, events, nil
		})
}

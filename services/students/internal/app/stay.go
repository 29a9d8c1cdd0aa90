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

// Fact is one event of a match's chain (SPEC §4) as the students service acts on it: which
// match, which application. Each use case of the chain runs on an App bound to the event's
// inbox transaction (Within), and refuses to run outside one.
type Fact struct {
	MatchID       string
	ApplicationID string
}

// MatchApplication applies a match's approval: the application becomes MATCHED and leaves the
// pool (application.matched). Errors: placement.ErrNotYet (retry later), FailedPrecondition
// (no retry can apply it), NotFound, the database's.
func (a *App) MatchApplication(ctx context.Context, f Fact) error {
	return a.applyPlacement(ctx, f, func(p placement.Status, app *application.Application, _ *student.Student, at time.Time) (placement.Outcome, error) {
		return placement.Match(p, app, at)
	}, studentsevents.ApplicationMatched.Subject, "")
}

// PlaceStudent applies the activation of the match's contract: the application and the
// student become PLACED (application.placed, student.placed). Errors: as MatchApplication.
func (a *App) PlaceStudent(ctx context.Context, f Fact) error {
	return a.applyPlacement(ctx, f, placement.Place, studentsevents.ApplicationPlaced.Subject, studentsevents.StudentPlaced.Subject)
}

// EndStay applies the end or termination of the match's contract: the student is VERIFIED
// again and may apply to return to the pool (student.released); the application stays
// PLACED. Errors: as MatchApplication.
func (a *App) EndStay(ctx context.Context, f Fact) error {
	return a.applyPlacement(ctx, f, placement.End, "", studentsevents.StudentReleased.Subject)
}

// UnmatchApplication applies the cancellation of the match, or its contract, before the
// stay: the application is SUBMITTED again, back in the pool (application.resubmitted).
// Errors: as MatchApplication.
func (a *App) UnmatchApplication(ctx context.Context, f Fact) error {
	return a.applyPlacement(ctx, f, func(p placement.Status, app *application.Application, _ *student.Student, at time.Time) (placement.Outcome, error) {
		return placement.Cancel(p, app, at)
	}, studentsevents.ApplicationResubmitted.Subject, "")
}

// CancelStay applies the cancellation of the match's contract, only ever before its start
// date: as UnmatchApplication, and when the contract was active the student is VERIFIED
// again too (student.released) with the application back in the pool
// (application.resubmitted). Errors: as MatchApplication.
func (a *App) CancelStay(ctx context.Context, f Fact) error {
	return a.applyPlacement(ctx, f, placement.CancelStay, studentsevents.ApplicationResubmitted.Subject, studentsevents.StudentReleased.Subject)
}

type decide func(placement.Status, *application.Application, *student.Student, time.Time) (placement.Outcome, error)

// applyPlacement runs one step of the chain; each record that moved publishes its event
// (applicationSubject, studentSubject).
func (a *App) applyPlacement(ctx context.Context, f Fact, step decide, applicationSubject, studentSubject string) error {
	return a.store.ApplyPlacement(ctx, f.ApplicationID, f.MatchID,
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

// Package placement decides how a student and their application follow one approved match
// along the chain of SPEC §4: the match approved (application MATCHED), its contract active
// (application and student PLACED), the stay ended or terminated (student VERIFIED again, the
// application stays closed), or the match or contract cancelled before the stay (application
// SUBMITTED again). It does no I/O.
//
// Each match's progress is kept as a Status, per match: that is what makes the chain's events
// safe to apply twice and in any order. An event the state is not ready for returns ErrNotYet
// (retry later); one no retry can make applicable returns ErrImpossible.
package placement

import (
	"errors"
	"time"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// Status is how far one match's chain has been applied.
type Status string

// The statuses of a match's placement.
const (
	// None: no event of this match has been applied yet.
	None      Status = ""
	Matched   Status = "MATCHED"
	Placed    Status = "PLACED"
	Ended     Status = "ENDED"
	Unmatched Status = "UNMATCHED"
)

// ErrNotYet says that an event needs an earlier fact of its match that has not been applied
// yet: retry it later, never drop it. No client ever sees it.
var ErrNotYet = errors.New("the application or student is not ready for this event yet")

// ErrImpossible refuses an event that no retry can make applicable.
var ErrImpossible = errs.FailedPrecondition("CHAIN_IMPOSSIBLE", "this event of the match cannot apply to the student's records")

// Outcome is what an event changed: the match's new status, and which records moved (each
// moved record publishes its event).
type Outcome struct {
	Next        Status
	Application bool
	Student     bool
}

func same(p Status) Outcome { return Outcome{Next: p} }

// notApplied answers an event of a match whose approval has not been applied: wait for it,
// unless the application is closed (withdrawn or placed): then the approval never will be.
func notApplied(a *application.Application, what string) (Outcome, error) {
	if !a.Open() {
		return same(None), ErrImpossible.WithMessage("cannot %s: the application is %s and was never matched by this match", what, a.Status())
	}
	return same(None), ErrNotYet
}

// Match applies the approval: a SUBMITTED application becomes MATCHED. Errors: ErrNotYet (the
// application is still MATCHED by a previous match whose cancellation is on its way),
// ErrImpossible (the application is closed).
func Match(p Status, a *application.Application, at time.Time) (Outcome, error) {
	if p != None {
		return same(p), nil
	}
	switch a.Status() {
	case application.StatusSubmitted:
		return Outcome{Next: Matched, Application: true}, a.Match(at)
	case application.StatusMatched:
		return same(p), ErrNotYet
	}
	return same(p), ErrImpossible.WithMessage("cannot match a %s application", a.Status())
}

// Place applies the activation of the contract: the MATCHED application and the VERIFIED
// student become PLACED. Errors: ErrNotYet (approval not applied; the student still PLACED
// by a stay whose end is on its way), ErrImpossible (cancelled before, application withdrawn,
// student not verified).
func Place(p Status, a *application.Application, s *student.Student, at time.Time) (Outcome, error) {
	switch p {
	case None:
		return notApplied(a, "place the student")
	case Placed, Ended:
		return same(p), nil
	case Unmatched:
		return same(p), ErrImpossible.WithMessage("cannot place the student: this match was cancelled before the stay")
	}
	if a.Status() != application.StatusMatched {
		return same(p), ErrImpossible.WithMessage("cannot place the student: the application is %s", a.Status())
	}
	switch s.Status() {
	case student.StatusVerified:
	case student.StatusPlaced:
		return same(p), ErrNotYet
	default:
		return same(p), ErrImpossible.WithMessage("cannot place a %s student", s.Status())
	}
	if err := a.Place(at); err != nil {
		return same(p), err
	}
	return Outcome{Next: Placed, Application: true, Student: true}, s.Place(at)
}

// End applies the end or termination of the contract: the student is VERIFIED again, free to
// apply; the application stays PLACED (closed). Errors: ErrNotYet (approval or activation not
// applied), ErrImpossible.
func End(p Status, a *application.Application, s *student.Student, at time.Time) (Outcome, error) {
	switch p {
	case None:
		return notApplied(a, "end the stay")
	case Matched:
		return same(p), ErrNotYet
	case Ended:
		return same(p), nil
	case Unmatched:
		return same(p), ErrImpossible.WithMessage("cannot end the stay: this match was cancelled before it")
	}
	if s.Status() != student.StatusPlaced {
		return same(p), ErrImpossible.WithMessage("cannot end the stay of a %s student", s.Status())
	}
	return Outcome{Next: Ended, Student: true}, s.Release(false, at)
}

// CancelStay applies the cancellation of the match's contract, which is only ever before the
// stay: before its activation as Cancel; after it (Placed: an active contract cancelled
// before its start date, the pair withdrew before moving in) the application is SUBMITTED
// and the student VERIFIED again, both back in the pool. Errors: as Cancel; ErrImpossible
// when the records have moved on since the placement.
func CancelStay(p Status, a *application.Application, s *student.Student, at time.Time) (Outcome, error) {
	if p != Placed {
		return Cancel(p, a, at)
	}
	if a.Status() != application.StatusPlaced || s.Status() != student.StatusPlaced {
		return same(p), ErrImpossible.WithMessage("cannot cancel the stay: the application is %s and the student %s", a.Status(), s.Status())
	}
	if err := a.Resubmit(at); err != nil {
		return same(p), err
	}
	return Outcome{Next: Unmatched, Application: true, Student: true}, s.Release(false, at)
}

// Cancel applies the cancellation of the match, or its contract, before the stay: the MATCHED
// application is SUBMITTED again, back in the pool. An application withdrawn meanwhile stays
// withdrawn. The contract's cancellation and the match's that follows it are one fact told
// twice: the second changes nothing. Errors: ErrNotYet (approval not applied), ErrImpossible
// (the stay has begun).
func Cancel(p Status, a *application.Application, at time.Time) (Outcome, error) {
	switch p {
	case None:
		return notApplied(a, "cancel the match")
	case Unmatched:
		return same(p), nil
	case Placed, Ended:
		return same(p), ErrImpossible.WithMessage("cannot cancel the match before the stay: the student is placed")
	}
	switch a.Status() {
	case application.StatusMatched:
		return Outcome{Next: Unmatched, Application: true}, a.Unmatch(at)
	case application.StatusWithdrawn:
		return Outcome{Next: Unmatched}, nil
	}
	return same(p), ErrImpossible.WithMessage("cannot return a %s application to the pool", a.Status())
}

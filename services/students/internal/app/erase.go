package app

import (
	"context"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// EraseStudent erases a student for a coordinator of her programme, and publishes the
// erasure every other service acts on (ids only; the reason is not kept: it is free text
// about her).
//
// The check lives here, in the service that owns the record, on state the events of the chain
// keep: a placement MATCHED (its match approved) or PLACED (its contract active), or the
// student PLACED, is exactly "a match approved or a stay under way"; the transaction that
// checks it, holding the student's lock the placements' consumer also takes, deletes her.
// Errors: NotFound (also out of reach), FailedPrecondition (STAY_AGREED_OR_UNDER_WAY).
func (a *App) EraseStudent(ctx context.Context, id string) error {
	p, err := auth.Required(ctx)
	if err != nil {
		return err
	}
	return a.store.EraseStudent(ctx, id, func(s *student.Student, stays int) ([]*eventsv1.Envelope, error) {
		if !p.CoordinatesProgramme(s.ProgrammeID()) {
			return nil, postgres.ErrStudentNotFound
		}
		if stays > 0 || s.Status() == student.StatusPlaced {
			return nil, erasure.ErrBlocked
		}
		return erasure.EventsOf(erasure.Student, s, a.now())
	})
}

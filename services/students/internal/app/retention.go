package app

import (
	"context"
	"errors"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// errStayKeeps: a student with a stay agreed or under way is not erased by retention (her
// last activity is then recent anyway; this is the same rule as a coordinator's erasure).
var errStayKeeps = errors.New("stay agreed or under way")

// EraseInactive erases every student archived, or with no activity (her record, her
// applications, their placements), for her programme's retention period, as of now, and
// says how many. A student who cannot be erased (a stay agreed or under way) is left.
func (a *App) EraseInactive(ctx context.Context) (int, error) {
	acts, err := a.store.LastActivities(ctx)
	if err != nil {
		return 0, err
	}
	now := a.now()
	erased := 0
	for _, act := range acts {
		st, _, err := a.store.Programme(ctx, act.ProgrammeID)
		if err != nil {
			return erased, err
		}
		if !erasure.Expired(act.Last, now, st.GetRetentionMonths()) {
			continue
		}
		err = a.store.EraseStudent(ctx, act.StudentID, func(s *student.Student, stays int) ([]*eventsv1.Envelope, error) {
			if stays > 0 || s.Status() == student.StatusPlaced {
				return nil, errStayKeeps
			}
			ev, err := erasure.Event(erasure.Person{ID: s.ID(), Kind: erasure.Student, AccountID: s.OwnerAccountID(), ProgrammeID: s.ProgrammeID()}, now)
			if err != nil {
				return nil, err
			}
			return []*eventsv1.Envelope{ev}, nil
		})
		switch {
		case errors.Is(err, errStayKeeps):
		case err != nil:
			return erased, err
		default:
			erased++
		}
	}
	return erased, nil
}

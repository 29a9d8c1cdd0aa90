package app

import (
	"context"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// EraseInactive erases every student archived, or with no activity (her record, her
// applications, their placements), for her programme's retention period, as of now, and
// says how many. A student who cannot be erased (a stay agreed or under way) is left.
func (a *App) EraseInactive(ctx context.Context) (int, error) {
	acts, err := a.store.LastActivities(ctx)
	if err != nil {
		return 0, err
	}
	now := a.now()
	return erasure.Sweep(ctx, acts, now, a.store.Programme, func(ctx context.Context, id string) error {
		return a.store.EraseStudent(ctx, id, func(s *student.Student, stays int) ([]*eventsv1.Envelope, error) {
			if stays > 0 || s.Status() == student.StatusPlaced {
				return nil, erasure.ErrBlocked
			}
			return erasure.EventsOf(erasure.Student, s, now)
		})
	})
}

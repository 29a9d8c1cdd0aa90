package app

import (
	"context"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

// EraseInactive erases every host archived, or with no activity (her record, her rooms, their
// stays), for her programme's retention period, as of now, and says how many. A host who
// cannot be erased (a stay agreed or under way) is left for the next run.
func (a *App) EraseInactive(ctx context.Context) (int, error) {
	acts, err := a.store.LastActivities(ctx)
	if err != nil {
		return 0, err
	}
	now := a.now()
	return erasure.Sweep(ctx, acts, now, a.store.Programme, func(ctx context.Context, id string) error {
		return a.store.EraseHost(ctx, id, func(h *host.Host, stays int) ([]*eventsv1.Envelope, error) {
			if stays > 0 {
				return nil, erasure.ErrBlocked
			}
			return erasure.EventsOf(erasure.Host, h, now)
		})
	})
}

package app

import (
	"context"
	"errors"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

// errStayKeeps: a host with a stay agreed or under way is not erased by retention (her
// last activity is then recent anyway; this is the same rule as a coordinator's erasure).
var errStayKeeps = errors.New("stay agreed or under way")

// EraseInactive erases every host archived, or with no activity (her record, her rooms, their
// stays), for her programme's retention period, as of now, and says how many. A host who
// cannot be erased (a stay agreed or under way) is left for the next run.
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
		err = a.store.EraseHost(ctx, act.HostID, func(h *host.Host, stays int) ([]*eventsv1.Envelope, error) {
			if stays > 0 {
				return nil, errStayKeeps
			}
			ev, err := erasure.Event(erasure.Person{ID: h.ID(), Kind: erasure.Host, AccountID: h.OwnerAccountID(), ProgrammeID: h.ProgrammeID()}, now)
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

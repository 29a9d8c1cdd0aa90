package app

import (
	"context"
	"errors"
	"log/slog"
	"time"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

// DefaultRetentionMonths applies until a programme's settings say otherwise (SPEC §9).
const DefaultRetentionMonths = 24

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
		months := DefaultRetentionMonths
		if st, ok, err := a.store.Programme(ctx, act.ProgrammeID); err != nil {
			return erased, err
		} else if ok && st.GetRetentionMonths() > 0 {
			months = int(st.GetRetentionMonths())
		}
		if !act.Last.Before(now.AddDate(0, -months, 0)) {
			continue
		}
		err := a.store.EraseHost(ctx, act.HostID, func(h *host.Host, stays int) ([]*eventsv1.Envelope, error) {
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

// RunRetention erases inactive hosts at start and then every interval until ctx ends; a
// failed run is logged and tried again at the next.
func (a *App) RunRetention(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := a.EraseInactive(ctx)
		if err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "retention run failed; tried again later", "err", err)
		} else if n > 0 {
			log.InfoContext(ctx, "hosts erased at the end of their retention period", "count", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

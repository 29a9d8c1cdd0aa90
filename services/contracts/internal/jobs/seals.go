package jobs

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// sealCheckInterval is how often sealed contracts past their 5 years are looked for: the
// deadline is a day, so a daily check is on time; the first check runs at start.
const sealCheckInterval = 24 * time.Hour

// Of are the jobs of the contracts service: the calendar's changes (RunOnce) every interval
// (none when not positive: tests run RunOnce themselves), and the deletion of sealed
// contracts 5 years after their end (SPEC §9), daily.
func Of(store *postgres.Store, interval time.Duration, now func() time.Time) []periodic.Job {
	j := &Jobs{Store: store}
	return []periodic.Job{{
		Name: "contracts' calendar", Every: interval,
		Run: func(ctx context.Context) (int, error) {
			res, err := j.RunOnce(ctx, now())
			return res.Terminated + res.Ended + res.Missed, err
		},
	}, {
		Name: "delete expired sealed contracts", Every: sealCheckInterval,
		Run: func(ctx context.Context) (int, error) {
			n, err := store.DropExpiredSeals(ctx, now())
			return int(n), err
		},
	}}
}

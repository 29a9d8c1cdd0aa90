package erasure

import (
	"context"
	"log/slog"
	"time"
)

// DefaultRetentionMonths applies until a programme's settings say otherwise (SPEC §9).
const DefaultRetentionMonths = 24

// Expired says whether a person last active at last has passed the programme's retention
// period of months (0 or less: the default) as of now. Hosts and students, who each own
// their people, apply the same rule.
func Expired(last, now time.Time, months int32) bool {
	if months <= 0 {
		months = DefaultRetentionMonths
	}
	return last.Before(now.AddDate(0, -int(months), 0))
}

// RunRetention runs sweep (which erases the people past their retention period and says how
// many) at start and then every interval until ctx ends; a failed run is logged and tried
// again at the next. what names the people in the log ("hosts", "students").
func RunRetention(ctx context.Context, interval time.Duration, what string, sweep func(context.Context) (int, error), log *slog.Logger) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		n, err := sweep(ctx)
		if err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "retention run failed; tried again later", "people", what, "err", err)
		} else if n > 0 {
			log.InfoContext(ctx, "people erased at the end of their retention period", "people", what, "count", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
)

// sealCheckInterval is how often sealed contracts past their 5 years are looked for: the
// deadline is a day, so a daily check is on time; the first check runs at start.
const sealCheckInterval = 24 * time.Hour

// dropExpiredSeals deletes expired sealed contracts at start and then daily, until ctx ends.
// A failure is logged and retried at the next tick: it must not stop the service.
func dropExpiredSeals(ctx context.Context, store *postgres.Store, now func() time.Time, log *slog.Logger) error {
	t := time.NewTicker(sealCheckInterval)
	defer t.Stop()
	for {
		if n, err := store.DropExpiredSeals(ctx, now()); err != nil {
			log.ErrorContext(ctx, "dropping expired sealed contracts failed; retried tomorrow", "err", err)
		} else if n > 0 {
			log.InfoContext(ctx, "expired sealed contracts deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

package service

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/postgres"
)

// purgeAttemptsDaily deletes stale sign-in failures (postgres.AttemptsRetention) at start and
// then daily until ctx ends; a failure is logged and tried again the next day.
func purgeAttemptsDaily(ctx context.Context, store *postgres.Store, log *slog.Logger) error {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		if n, err := store.PurgeLoginAttempts(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.ErrorContext(ctx, "purging sign-in attempts failed; tried again tomorrow", "err", err)
		} else if n > 0 {
			log.InfoContext(ctx, "stale sign-in attempts purged", "count", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

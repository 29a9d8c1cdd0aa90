// Package housekeeping purges what a service's platform tables no longer need (SPEC §9: keep
// nothing longer than needed): outbox rows published long ago, whose envelopes may hold a
// display name, and inbox claims older than any event that can still be redelivered. Every
// service runs it through boot, so that a new service gets it for free.
package housekeeping

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Defaults. An outbox row's job ends when JetStream acknowledges it (its deduplication window
// is minutes); a week keeps it for an operator's look at what went out. An inbox claim must
// outlive every redelivery of its event, which the stream's maximum age bounds (30 days by
// default, natsx.DefaultMaxAge): twice that, so that a claim never goes before its event.
const (
	DefaultOutboxRetention = 7 * 24 * time.Hour
	DefaultInboxRetention  = 60 * 24 * time.Hour
	DefaultInterval        = time.Hour
)

// Settings say how long published outbox rows and inbox claims are kept, and how often the
// purge runs; zero values take the defaults.
type Settings struct {
	OutboxRetention time.Duration
	InboxRetention  time.Duration
	Interval        time.Duration
}

// LoadSettings reads COHABIT_OUTBOX_RETENTION (168h), COHABIT_INBOX_RETENTION (1440h) and
// COHABIT_HOUSEKEEPING_INTERVAL (1h).
func LoadSettings(e *config.Env) Settings {
	return Settings{
		OutboxRetention: e.Duration("COHABIT_OUTBOX_RETENTION", DefaultOutboxRetention),
		InboxRetention:  e.Duration("COHABIT_INBOX_RETENTION", DefaultInboxRetention),
		Interval:        e.Duration("COHABIT_HOUSEKEEPING_INTERVAL", DefaultInterval),
	}
}

func (s Settings) withDefaults() Settings {
	if s.OutboxRetention <= 0 {
		s.OutboxRetention = DefaultOutboxRetention
	}
	if s.InboxRetention <= 0 {
		s.InboxRetention = DefaultInboxRetention
	}
	if s.Interval <= 0 {
		s.Interval = DefaultInterval
	}
	return s
}

// Purge deletes, as of now, the outbox rows published before now-OutboxRetention (never a
// row not yet published) and the inbox claims older than now-InboxRetention, and says how
// many of each.
func Purge(ctx context.Context, db pg.Beginner, s Settings, now time.Time) (outbox, inbox int64, err error) {
	s = s.withDefaults()
	err = pg.InTx(ctx, db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM outbox WHERE published_at IS NOT NULL AND published_at < $1`, now.Add(-s.OutboxRetention))
		if err != nil {
			return fmt.Errorf("purge the outbox: %w", err)
		}
		outbox = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `DELETE FROM inbox WHERE handled_at < $1`, now.Add(-s.InboxRetention))
		if err != nil {
			return fmt.Errorf("purge the inbox: %w", err)
		}
		inbox = tag.RowsAffected()
		return nil
	})
	return outbox, inbox, err
}

// Run purges at start and then every s.Interval until ctx is done. A failed purge is logged
// and tried again at the next tick: it must not stop the service.
func Run(ctx context.Context, db pg.Beginner, s Settings, now func() time.Time, log *slog.Logger) error {
	s = s.withDefaults()
	if now == nil {
		now = time.Now
	}
	t := time.NewTicker(s.Interval)
	defer t.Stop()
	for {
		o, i, err := Purge(ctx, db, s, now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.ErrorContext(ctx, "housekeeping failed; tried again later", "err", err)
		case o+i > 0:
			log.InfoContext(ctx, "housekeeping purged old outbox and inbox rows", "outbox", o, "inbox", i)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

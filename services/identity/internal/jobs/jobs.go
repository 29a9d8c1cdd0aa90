// Package jobs lists the identity service's periodic jobs (platform/periodic): each is a use
// case of app, the audit trail or the store, run at start and then at its interval.
package jobs

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/identity/internal/auditlog"
	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Of are the jobs of the identity service.
func Of(a *app.App, trail *auditlog.Log, store *postgres.Store) []periodic.Job {
	return []periodic.Job{{
		// Invitation codes are readable only while they can be used (the email needs them),
		// even when nobody invites or signs up for a while (which drop them on their way).
		Name: "drop expired invitation codes", Every: time.Hour, Run: a.DropExpiredCodes,
	}, {
		// Audit entries are kept a year (SPEC §9).
		Name: "purge the audit trail", Every: 24 * time.Hour,
		Run: func(ctx context.Context) (int, error) { n, err := trail.Purge(ctx); return int(n), err },
	}, {
		// Sign-in failures are kept a month after the last one, once they lock nothing
		// (postgres.AttemptsRetention).
		Name: "purge sign-in attempts", Every: 24 * time.Hour,
		Run: func(ctx context.Context) (int, error) {
			n, err := store.PurgeLoginAttempts(ctx, time.Now())
			return int(n), err
		},
	}}
}

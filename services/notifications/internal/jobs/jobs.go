// Package jobs lists the notifications service's periodic jobs (platform/periodic).
package jobs

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/services/notifications/internal/app"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Of are the jobs of the notifications service: the dispatcher sends the notifications and
// reminders due, at once when an event planned some (app.Woken), and every dispatch interval
// (retries, reminders, other replicas' work; none when not positive: tests run
// app.RunOnce themselves). Several replicas may run it: claims skip each other's locked rows.
func Of(a *app.App, dispatch time.Duration) []periodic.Job {
	return []periodic.Job{{
		Name: "dispatch notifications", Every: dispatch, Wake: a.Woken(),
		Run: func(ctx context.Context) (int, error) { return 0, a.RunOnce(ctx) },
	}}
}

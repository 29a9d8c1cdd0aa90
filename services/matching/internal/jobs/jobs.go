// Package jobs lists the matching service's periodic jobs (platform/periodic): each is a use
// case of app, run at start and then at its interval.
package jobs

import (
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/app"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Of are the jobs of the matching service: open matches past their expiry time expire every
// expiry (safe on several replicas at once: app.ExpireDue).
func Of(a *app.App, expiry time.Duration) []periodic.Job {
	return []periodic.Job{{Name: "expire matches", Every: expiry, Run: a.ExpireDue}}
}

// Package jobs lists the desk service's periodic jobs (platform/periodic): each is a use case
// of app, run at start and then at its interval.
package jobs

import (
	"time"

	"github.com/cohabit/cohabit/services/desk/internal/app"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Of are the jobs of the desk service: VERIFIED documents past their expiry date are marked
// EXPIRED every expiry (none when not positive: tests run app.ExpireDue themselves).
func Of(a *app.App, expiry time.Duration) []periodic.Job {
	return []periodic.Job{{Name: "expire documents", Every: expiry, Run: a.ExpireDue}}
}

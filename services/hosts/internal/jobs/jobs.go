// Package jobs lists the hosts service's periodic jobs (platform/periodic).
package jobs

import (
	"time"

	"github.com/cohabit/cohabit/services/hosts/internal/app"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/periodic"
)

// Of are the jobs of the hosts service: hosts past their programme's retention period are
// erased every retention (SPEC §9; daily when 0, never when negative).
func Of(a *app.App, retention time.Duration) []periodic.Job {
	return []periodic.Job{erasure.Retention("hosts", retention, a.EraseInactive)}
}

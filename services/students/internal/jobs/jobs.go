// Package jobs lists the students service's periodic jobs (platform/periodic).
package jobs

import (
	"time"

	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/periodic"
	"github.com/cohabit/cohabit/services/students/internal/app"
)

// Of are the jobs of the students service: students past their programme's retention period are
// erased every retention (SPEC §9; daily when 0, never when negative).
func Of(a *app.App, retention time.Duration) []periodic.Job {
	return []periodic.Job{erasure.Retention("students", retention, a.EraseInactive)}
}

package erasure

import (
	"context"
	"time"

	"github.com/cohabit/cohabit/services/platform/periodic"
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

// Retention is the job that erases the people past their retention period (sweep erases
// them and says how many) every interval, at start first (platform/periodic); people names
// them in the log ("hosts", "students"). Hosts and students, who each own their people, list
// it in their internal/jobs.
func Retention(people string, every time.Duration, sweep func(context.Context) (int, error)) periodic.Job {
	return periodic.Job{Name: "erase the " + people + " past their retention period", Every: every, Run: sweep}
}

package erasure

import (
	"context"
	"errors"
	"time"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
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

// DefaultRetentionInterval is how often Retention runs when a configuration leaves it unset.
const DefaultRetentionInterval = 24 * time.Hour

// Retention is the job that erases the people past their retention period (sweep erases
// them and says how many) every interval, at start first (platform/periodic): daily when
// every is 0 (unset), never when it is negative (tests). people names them in the log
// ("hosts", "students"). Hosts and students, who each own their people, list it in their
// internal/jobs.
func Retention(people string, every time.Duration, sweep func(context.Context) (int, error)) periodic.Job {
	if every == 0 {
		every = DefaultRetentionInterval
	}
	return periodic.Job{Name: "erase the " + people + " past their retention period", Every: every, Run: sweep}
}

// Activity is when a person (a host, a student) last changed: her record or anything of hers
// (her rooms and their stays; her applications and their placements), as the service that
// owns her reads it.
type Activity struct {
	ID, ProgrammeID string
	Last            time.Time
}

// ErrBlocked: SPEC §9 refuses an erasure while a match is approved or a stay under way —
// a coordinator's (the answer she gets) as retention's (Sweep leaves the person for its next
// run; her last activity is then recent anyway). The service that owns the record checks it,
// on the state the events of the chain keep, in the transaction that erases.
var ErrBlocked = errs.FailedPrecondition("STAY_AGREED_OR_UNDER_WAY",
	"the person has a match approved or a stay under way: end or cancel it before erasing them")

// Settings reads the copy of a programme's settings (platform/programmes), false when none
// arrived yet: the default retention period applies.
type Settings func(ctx context.Context, programmeID string) (*identityv1.ProgrammeSettings, bool, error)

// Sweep erases each of people past her programme's retention period as of now (erase, in a
// transaction of its own; ErrBlocked leaves her for the next run), and says how many it
// erased. It stops at the first other error.
func Sweep(ctx context.Context, people []Activity, now time.Time, settings Settings, erase func(ctx context.Context, id string) error) (int, error) {
	erased := 0
	for _, act := range people {
		st, _, err := settings(ctx, act.ProgrammeID)
		if err != nil {
			return erased, err
		}
		if !Expired(act.Last, now, st.GetRetentionMonths()) {
			continue
		}
		switch err := erase(ctx, act.ID); {
		case errors.Is(err, ErrBlocked):
		case err != nil:
			return erased, err
		default:
			erased++
		}
	}
	return erased, nil
}

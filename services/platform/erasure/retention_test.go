package erasure_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

func TestExpired(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 6, 15, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		last   time.Time
		months int32
		want   bool
	}{
		{now.AddDate(0, -24, 0).Add(time.Hour), 0, false}, // the default, 24 months, not quite
		{now.AddDate(0, -24, 0).Add(-time.Hour), 0, true},
		{now.AddDate(0, -7, 0), 6, true},
		{now.AddDate(0, -5, 0), 6, false},
		{now.AddDate(0, -30, 0), 36, false},
	} {
		if got := erasure.Expired(c.last, now, c.months); got != c.want {
			t.Errorf("last %s, %d months: %v, want %v", c.last.Format(time.DateOnly), c.months, got, c.want)
		}
	}
}

func TestRetentionInterval(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ every, want time.Duration }{
		{0, erasure.DefaultRetentionInterval}, // unset: daily
		{time.Hour, time.Hour},
		{-1, -1}, // never (periodic runs no job whose interval is not positive)
	} {
		if got := erasure.Retention("hosts", c.every, nil).Every; got != c.want {
			t.Errorf("every %v: %v, want %v", c.every, got, c.want)
		}
	}
}

func TestSweep(t *testing.T) {
	t.Parallel()
	now := time.Date(2027, 6, 15, 12, 0, 0, 0, time.UTC)
	old, recent := now.AddDate(-3, 0, 0), now.AddDate(0, -1, 0)
	settings := func(_ context.Context, programmeID string) (*identityv1.ProgrammeSettings, bool, error) {
		if programmeID == "short" {
			return &identityv1.ProgrammeSettings{RetentionMonths: 0}, true, nil // the default
		}
		return nil, false, nil // no copy yet: the default too
	}
	people := []erasure.Activity{
		{ID: "old", ProgrammeID: "short", Last: old},
		{ID: "recent", ProgrammeID: "short", Last: recent},
		{ID: "staying", ProgrammeID: "other", Last: old},
		{ID: "old2", ProgrammeID: "other", Last: old},
	}
	var erased []string
	n, err := erasure.Sweep(context.Background(), people, now, settings, func(_ context.Context, id string) error {
		if id == "staying" {
			return erasure.ErrBlocked
		}
		erased = append(erased, id)
		return nil
	})
	if err != nil || n != 2 || !slices.Equal(erased, []string{"old", "old2"}) {
		t.Errorf("swept %d (%v), erased %v; want 2: old and old2, the one staying kept", n, err, erased)
	}
	broken := errors.New("connection reset")
	n, err = erasure.Sweep(context.Background(), people, now, settings, func(context.Context, string) error { return broken })
	if !errors.Is(err, broken) || n != 0 {
		t.Errorf("a failing erasure: %d, %v; want it to stop the sweep", n, err)
	}
}

package erasure_test

import (
	"testing"
	"time"

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

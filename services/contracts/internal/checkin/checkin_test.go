package checkin

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

var now = time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)

func days(start date.Date, ds []date.Date) string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = fmt.Sprint(int(d.Time().Sub(start.Time()).Hours() / 24))
	}
	return strings.Join(out, ",")
}

func TestSchedule(t *testing.T) {
	t.Parallel()
	start := date.New(2027, 2, 1)
	cases := []struct {
		name string
		plan Plan
		end  date.Date
		want string
	}{
		{"one year, defaults", Plan{}, start.AddDays(365), "7,30,120,210,300"},
		{"a month", Plan{}, start.AddDays(30), "7"},
		{"a week", Plan{}, start.AddDays(7), ""},
		{"two years", Plan{}, start.AddDays(730), "7,30,120,210,300,390,480,570,660"},
		{"programme plan", Plan{FirstDays: []int{30, 14, 14}, IntervalDays: 60}, start.AddDays(200), "14,30,90,150"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if got := days(start, c.plan.Schedule(start, c.end)); got != c.want {
				t.Fatalf("schedule %s, want %s", got, c.want)
			}
		})
	}
	got := Plan{}.Schedule(start, start.AddDays(365))
	if got[0] != date.New(2027, 2, 8) || got[2] != date.New(2027, 6, 1) {
		t.Fatalf("dates %v", got)
	}
	// A renewal from one year to two adds the dates of the second year only.
	if got := days(start, Plan{}.ScheduleBetween(start, start.AddDays(365), start.AddDays(730))); got != "390,480,570,660" {
		t.Fatalf("renewal adds %s", got)
	}
}

func TestComplete(t *testing.T) {
	t.Parallel()
	ok := Report{Method: MethodVisit, HostWellbeing: 4, StudentWellbeing: 5, Notes: "Tout va bien", Concern: true}
	cases := []struct {
		name   string
		change func(*Report)
		field  string
	}{
		{"no method", func(r *Report) { r.Method = "" }, "method"},
		{"host wellbeing 0", func(r *Report) { r.HostWellbeing = 0 }, "hostWellbeing"},
		{"student wellbeing 6", func(r *Report) { r.StudentWellbeing = 6 }, "studentWellbeing"},
		{"notes too long", func(r *Report) { r.Notes = strings.Repeat("é", MaxNotes+1) }, "notes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			ch := New("c", "p", "k", date.New(2027, 2, 8), 7, now)
			rep := ok
			c.change(&rep)
			e, isErr := errs.As(ch.Complete(rep, "coord", now))
			if !isErr || len(e.Violations) == 0 || e.Violations[0].Field != c.field {
				t.Fatalf("want a violation on %s, got %v", c.field, e)
			}
		})
	}
	ch := New("c", "p", "k", date.New(2027, 2, 8), 7, now)
	if err := ch.Complete(ok, "coord", now); err != nil || ch.Status() != StatusDone || ch.Record().Late {
		t.Fatalf("complete: %v %+v", err, ch.Record())
	}
	if err := ch.Complete(ok, "coord", now); !errors.Is(err, ErrTransition) {
		t.Fatalf("completing twice: %v", err)
	}
}

func TestMissAndCompleteLate(t *testing.T) {
	t.Parallel()
	due := date.New(2027, 2, 8)
	ch := New("c", "p", "k", due, 7, now)
	if ch.Overdue(due.AddDays(7)) {
		t.Fatal("overdue on the last day of grace")
	}
	if err := ch.Miss(due.AddDays(7), now); !errors.Is(err, ErrTransition) {
		t.Fatalf("missed within grace: %v", err)
	}
	if err := ch.Miss(due.AddDays(8), now); err != nil || ch.Status() != StatusMissed {
		t.Fatalf("miss: %v", err)
	}
	if err := ch.Miss(due.AddDays(9), now); !errors.Is(err, ErrTransition) {
		t.Fatalf("missed twice: %v", err)
	}
	if err := ch.Complete(Report{Method: MethodPhone, HostWellbeing: 3, StudentWellbeing: 3}, "coord", now); err != nil || !ch.Record().Late || ch.Status() != StatusDone {
		t.Fatalf("late completion: %v %+v", err, ch.Record())
	}
	if err := ch.Miss(due.AddDays(30), now); !errors.Is(err, ErrTransition) {
		t.Fatalf("a done check-in missed: %v", err)
	}
}

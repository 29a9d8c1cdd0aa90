// Package date is a calendar day without time or zone, as the API writes it (YYYY-MM-DD).
// Birth dates, stay dates and due dates are days: carrying them as instants invites
// off-by-one-day bugs around midnight and daylight saving.
package date

import (
	"fmt"
	"time"
)

// Date is a calendar day. The zero Date is "unset".
type Date struct{ t time.Time }

const layout = "2006-01-02"

// The days the platform takes: a birth, a stay, a due date all fall well inside. Outside,
// 0000-01-01 or 9999-12-31 are typing mistakes or probes, and PostgreSQL's date range is not
// Go's (year 0 has no PostgreSQL date): refused here, they never reach a query.
const (
	minYear = 1900
	maxYear = 2199
)

// Parse reads YYYY-MM-DD, a day of the years 1900 to 2199.
func Parse(s string) (Date, error) {
	t, err := time.Parse(layout, s)
	if err != nil {
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	if y := t.Year(); y < minYear || y > maxYear {
		return Date{}, fmt.Errorf("%s is outside the years %d to %d", s, minYear, maxYear)
	}
	return Date{t}, nil
}

// Of returns the day of t in t's location.
func Of(t time.Time) Date {
	y, m, d := t.Date()
	return New(y, m, d)
}

// New returns the given day.
func New(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String is YYYY-MM-DD, or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(layout)
}

// Time is midnight UTC of d (for storage).
func (d Date) Time() time.Time { return d.t }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.t.After(o.t) }

// YearsOn returns the age on day `on` of someone born on d: birthdays count from the day
// itself, and someone born on 29 February turns a year older on 1 March in common years.
func (d Date) YearsOn(on Date) int {
	years := on.t.Year() - d.t.Year()
	if !sameOrLaterInYear(on.t, d.t) {
		years--
	}
	return years
}

func sameOrLaterInYear(on, birth time.Time) bool {
	if on.Month() != birth.Month() {
		return on.Month() > birth.Month()
	}
	return on.Day() >= birth.Day()
}

// MarshalText writes YYYY-MM-DD (empty when unset), so a Date stores and travels as text.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD; empty text is the unset Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	p, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

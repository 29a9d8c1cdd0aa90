// Package figures computes the figures of SPEC §8 from a programme's history: what happened
// to its hosts, students, matches, stays and check-ins, as ids, days and states only. It holds
// every definition the README writes down (section "Figures"); each has a test here.
//
// The history is a set of facts, not a sequence: Compute reads days, never the order facts
// arrived in, so a read model fed out of order (or twice) gives the same figures.
package figures

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
)

// Statuses a host or student passes through that the figures read (waiting means VERIFIED).
const (
	StatusVerified  = "VERIFIED"
	StatusSuspended = "SUSPENDED"
	StatusArchived  = "ARCHIVED"
)

// Change is a status a host or a student took on a day; At orders changes of one day.
type Change struct {
	On     date.Date
	At     time.Time
	Status string
}

// Person is a host or a student: when registered (zero when the registration is not known
// yet) and the status changes that decide whether they are waiting.
type Person struct {
	ID         string
	Registered date.Date
	Changes    []Change
}

// statusOn is the person's status on day d: the last change made on or before d ("" before
// any, i.e. not verified yet).
func (p Person) statusOn(d date.Date) string {
	var last *Change
	for i := range p.Changes {
		c := &p.Changes[i]
		if c.On.After(d) {
			continue
		}
		if last == nil || c.At.After(last.At) || (c.At.Equal(last.At) && c.Status > last.Status) {
			last = c
		}
	}
	if last == nil {
		return ""
	}
	return last.Status
}

// Stay is a contract that became ACTIVE and was not cancelled before its start. End is its
// last known end: the end date, or the effective date of an early termination.
type Stay struct {
	HostID, StudentID string
	// Activated is the day both parties had signed: the student is placed from then.
	Activated  date.Date
	Start, End date.Date
	// Early is a termination with notice before the end date; Reason its coded reason.
	Early  bool
	Reason string
}

// Days is how long the stay lasts, from its start to its end.
func (s Stay) Days() int { return days(s.Start, s.End) }

// Over6Months: the stay's end falls after the day six calendar months from its start.
func (s Stay) Over6Months() bool { return s.End.After(addMonths(s.Start, 6)) }

// underWayOn: started on or before d and not ended by d (a stay ending on d has ended).
func (s Stay) underWayOn(d date.Date) bool { return !s.Start.After(d) && s.End.After(d) }

// placesOn: the contract was ACTIVE on d (signed, stay not ended), which places its student.
func (s Stay) placesOn(d date.Date) bool {
	return !s.Activated.IsZero() && !s.Activated.After(d) && s.End.After(d)
}

// Match is a proposed match: the days it was proposed and approved (zero if not), and the day
// its application was submitted (zero if not known).
type Match struct {
	Proposed, Approved, Applied date.Date
}

// Checkin is a check-in that was done, on a day, late or not.
type Checkin struct {
	Done date.Date
	Late bool
}

// History is everything the figures of one programme (or of the whole network) come from.
type History struct {
	Hosts, Students []Person
	Stays           []Stay
	Matches         []Match
	Checkins        []Checkin
}

// Merge returns the union of several histories (the network's).
func Merge(hs ...History) History {
	var m History
	for _, h := range hs {
		m.Hosts = append(m.Hosts, h.Hosts...)
		m.Students = append(m.Students, h.Students...)
		m.Stays = append(m.Stays, h.Stays...)
		m.Matches = append(m.Matches, h.Matches...)
		m.Checkins = append(m.Checkins, h.Checkins...)
	}
	return m
}

// ReasonCount is how many early terminations had one reason.
type ReasonCount struct {
	Reason string
	Count  int
}

// Counts are the figures of one period.
type Counts struct {
	HostsRegistered, StudentsRegistered int
	HostsWaiting, StudentsWaiting       int
	MatchesProposed, MatchesApproved    int
	StaysStarted, StaysEnded            int
	StaysUnderWay, StaysOver6Months     int
	AverageStayDays                     float64
	MedianDaysToMatch                   float64
	MatchedWithin4MonthsPercent         float64
	EarlyTerminations                   int
	EarlyTerminationReasons             []ReasonCount
	CheckinsDone, CheckinsOnTime        int
}

// Month is the figures of one calendar month of a period, clipped to the period.
type Month struct {
	Month string // YYYY-MM
	Counts
}

// Figures are a period's figures and the same by month.
type Figures struct {
	From, To date.Date
	Counts
	Months []Month
}

// Compute returns the figures of h for the period from..to (both included). Months are the
// calendar months the period touches, each clipped to it.
func Compute(h History, from, to date.Date) Figures {
	f := Figures{From: from, To: to, Counts: count(h, from, to)}
	for start := date.New(from.Time().Year(), from.Time().Month(), 1); !start.After(to); start = addMonths(start, 1) {
		a, b := start, addMonths(start, 1).AddDays(-1)
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		f.Months = append(f.Months, Month{Month: start.Time().Format("2006-01"), Counts: count(h, a, b)})
	}
	return f
}

func in(d, a, b date.Date) bool { return !d.IsZero() && !d.Before(a) && !d.After(b) }

// count computes the figures of the days a..b.
func count(h History, a, b date.Date) Counts {
	var c Counts
	hostPlaced, studentPlaced := map[string]bool{}, map[string]bool{}
	for _, s := range h.Stays {
		if s.placesOn(b) {
			hostPlaced[s.HostID], studentPlaced[s.StudentID] = true, true
		}
	}
	for _, p := range h.Hosts {
		if in(p.Registered, a, b) {
			c.HostsRegistered++
		}
		if p.statusOn(b) == StatusVerified && !hostPlaced[p.ID] {
			c.HostsWaiting++
		}
	}
	for _, p := range h.Students {
		if in(p.Registered, a, b) {
			c.StudentsRegistered++
		}
		if p.statusOn(b) == StatusVerified && !studentPlaced[p.ID] {
			c.StudentsWaiting++
		}
	}
	var toMatch []int
	within := 0
	for _, m := range h.Matches {
		if in(m.Proposed, a, b) {
			c.MatchesProposed++
		}
		if in(m.Approved, a, b) {
			c.MatchesApproved++
			if !m.Applied.IsZero() && !m.Applied.After(m.Approved) {
				toMatch = append(toMatch, days(m.Applied, m.Approved))
				if !m.Approved.After(addMonths(m.Applied, 4)) {
					within++
				}
			}
		}
	}
	c.MedianDaysToMatch = median(toMatch)
	if len(toMatch) > 0 {
		c.MatchedWithin4MonthsPercent = round1(100 * float64(within) / float64(len(toMatch)))
	}
	reasons := map[string]int{}
	total := 0
	for _, s := range h.Stays {
		if in(s.Start, a, b) {
			c.StaysStarted++
		}
		if s.underWayOn(b) {
			c.StaysUnderWay++
		}
		if !in(s.End, a, b) {
			continue
		}
		c.StaysEnded++
		total += s.Days()
		if s.Over6Months() {
			c.StaysOver6Months++
		}
		if s.Early {
			c.EarlyTerminations++
			reasons[s.Reason]++
		}
	}
	if c.StaysEnded > 0 {
		c.AverageStayDays = round1(float64(total) / float64(c.StaysEnded))
	}
	c.EarlyTerminationReasons = []ReasonCount{}
	for r, n := range reasons {
		c.EarlyTerminationReasons = append(c.EarlyTerminationReasons, ReasonCount{Reason: r, Count: n})
	}
	slices.SortFunc(c.EarlyTerminationReasons, func(x, y ReasonCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Reason, y.Reason))
	})
	for _, ch := range h.Checkins {
		if in(ch.Done, a, b) {
			c.CheckinsDone++
			if !ch.Late {
				c.CheckinsOnTime++
			}
		}
	}
	return c
}

func days(a, b date.Date) int { return int(math.Round(b.Time().Sub(a.Time()).Hours() / 24)) }

// addMonths adds calendar months, the day clamped to the month's last (31 January + 1 month
// is 28 or 29 February), as the law's calendar months are counted.
func addMonths(d date.Date, n int) date.Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return date.New(first.Year(), first.Month(), min(t.Day(), last))
}

// median of xs (the mean of the two middle values for an even count); 0 for none.
func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return float64(xs[n/2])
	}
	return round1(float64(xs[n/2-1]+xs[n/2]) / 2)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }

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

// A stay is under way on a day when it started on or before it and has not ended by it (a
// stay ending on a day has ended). Its student, and its host, are placed from the day the
// contract became ACTIVE until it ends.

// Match is a proposed match: the days it was proposed and approved (zero if not), and the day
// its application was submitted (zero if not known).
type Match struct {
	Proposed, Approved, Applied date.Date
}

// Checkin is Count check-ins (one when 0) done on a day, late or not.
type Checkin struct {
	Done  date.Date
	Late  bool
	Count int
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
	p := prepare(h)
	f := Figures{From: from, To: to, Counts: p.count(dayOf(from), dayOf(to))}
	for start := date.New(from.Time().Year(), from.Time().Month(), 1); !start.After(to); start = addMonths(start, 1) {
		a, b := start, addMonths(start, 1).AddDays(-1)
		if a.Before(from) {
			a = from
		}
		if b.After(to) {
			b = to
		}
		f.Months = append(f.Months, Month{Month: start.Time().Format("2006-01"), Counts: p.count(dayOf(a), dayOf(b))})
	}
	return f
}

// day is a date as a day number, for the many comparisons of a period by month; none is a
// day no period holds (a date not known).
type day int32

const none day = -1 << 31

func dayOf(d date.Date) day {
	if d.IsZero() {
		return none
	}
	return day(d.Time().Unix() / 86400)
}

func (d day) in(a, b day) bool { return d != none && d >= a && d <= b }

type span struct{ from, to day } // from..to-1

type change struct {
	on     day
	status string
}

type person struct {
	registered day
	changes    []change // in the order they were made
	placed     []span   // while a stay places them
}

// statusOn is the person's status on day d: the last change made on or before d ("" before
// any, i.e. not verified yet).
func (p *person) statusOn(d day) string {
	s := ""
	for _, c := range p.changes {
		if c.on > d {
			break
		}
		s = c.status
	}
	return s
}

func (p *person) placedOn(d day) bool {
	for _, s := range p.placed {
		if s.from <= d && d < s.to {
			return true
		}
	}
	return false
}

type stay struct {
	start, end day
	days       int
	over6      bool
	early      bool
	reason     string
}

type match struct {
	proposed, approved day
	toMatch            int // days from application to approval; -1 when not known
	within             bool
}

type checkin struct {
	done  day
	late  bool
	count int
}

// prepared is a history as day numbers, each person with the spans a stay places them.
type prepared struct {
	hosts, students []person
	stays           []stay
	matches         []match
	checkins        []checkin
}

func preparePeople(ps []Person, placed map[string][]span) []person {
	out := make([]person, len(ps))
	for i, p := range ps {
		cs := slices.Clone(p.Changes)
		slices.SortFunc(cs, func(x, y Change) int { return cmp.Or(x.At.Compare(y.At), cmp.Compare(x.Status, y.Status)) })
		out[i] = person{registered: dayOf(p.Registered), placed: placed[p.ID], changes: make([]change, len(cs))}
		for j, c := range cs {
			out[i].changes[j] = change{on: dayOf(c.On), status: c.Status}
		}
	}
	return out
}

func prepare(h History) prepared {
	var p prepared
	hostPlaced, studentPlaced := map[string][]span{}, map[string][]span{}
	for _, s := range h.Stays {
		if !s.Activated.IsZero() && s.Activated.Before(s.End) {
			sp := span{dayOf(s.Activated), dayOf(s.End)}
			hostPlaced[s.HostID] = append(hostPlaced[s.HostID], sp)
			studentPlaced[s.StudentID] = append(studentPlaced[s.StudentID], sp)
		}
		p.stays = append(p.stays, stay{start: dayOf(s.Start), end: dayOf(s.End), days: s.Days(), over6: s.Over6Months(), early: s.Early, reason: s.Reason})
	}
	p.hosts, p.students = preparePeople(h.Hosts, hostPlaced), preparePeople(h.Students, studentPlaced)
	for _, m := range h.Matches {
		x := match{proposed: dayOf(m.Proposed), approved: dayOf(m.Approved), toMatch: -1}
		if !m.Applied.IsZero() && !m.Approved.IsZero() && !m.Applied.After(m.Approved) {
			x.toMatch, x.within = days(m.Applied, m.Approved), !m.Approved.After(addMonths(m.Applied, 4))
		}
		p.matches = append(p.matches, x)
	}
	for _, c := range h.Checkins {
		p.checkins = append(p.checkins, checkin{done: dayOf(c.Done), late: c.Late, count: max(c.Count, 1)})
	}
	return p
}

// count computes the figures of the days a..b.
func (p *prepared) count(a, b day) Counts {
	var c Counts
	for i := range p.hosts {
		x := &p.hosts[i]
		if x.registered.in(a, b) {
			c.HostsRegistered++
		}
		if x.statusOn(b) == StatusVerified && !x.placedOn(b) {
			c.HostsWaiting++
		}
	}
	for i := range p.students {
		x := &p.students[i]
		if x.registered.in(a, b) {
			c.StudentsRegistered++
		}
		if x.statusOn(b) == StatusVerified && !x.placedOn(b) {
			c.StudentsWaiting++
		}
	}
	var toMatch []int
	within := 0
	for _, m := range p.matches {
		if m.proposed.in(a, b) {
			c.MatchesProposed++
		}
		if m.approved.in(a, b) {
			c.MatchesApproved++
			if m.toMatch >= 0 {
				toMatch = append(toMatch, m.toMatch)
				if m.within {
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
	for _, s := range p.stays {
		if s.start.in(a, b) {
			c.StaysStarted++
		}
		if s.start <= b && s.end > b {
			c.StaysUnderWay++
		}
		if !s.end.in(a, b) {
			continue
		}
		c.StaysEnded++
		total += s.days
		if s.over6 {
			c.StaysOver6Months++
		}
		if s.early {
			c.EarlyTerminations++
			reasons[s.reason]++
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
	for _, ch := range p.checkins {
		if ch.done.in(a, b) {
			c.CheckinsDone += ch.count
			if !ch.late {
				c.CheckinsOnTime += ch.count
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

// Package checkin is the domain of check-ins: the coordinator's follow-up of a stay, scheduled
// from the stay's start, done, or missed after a grace period and then done late. It does no
// I/O.
package checkin

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Status is where a check-in is in its lifecycle.
type Status string

// The check-in lifecycle of SPEC §2.
const (
	StatusDue    Status = "DUE"
	StatusDone   Status = "DONE"
	StatusMissed Status = "MISSED"
	// StatusCancelled: the stay was cancelled before its start (or ended) before this date.
	StatusCancelled Status = "CANCELLED"
)

// Method is how a check-in was done.
type Method string

// Check-in methods.
const (
	MethodVisit Method = "VISIT"
	MethodPhone Method = "PHONE"
	MethodVideo Method = "VIDEO"
)

// Defaults of the schedule when the programme's settings say nothing (SPEC §2).
var DefaultFirstDays = []int{7, 30}

// Defaults of the schedule when the programme's settings say nothing (SPEC §2).
const (
	DefaultIntervalDays = 90
	DefaultGraceDays    = 7
	MaxNotes            = 4000
)

// Plan is a programme's check-in schedule.
type Plan struct {
	// FirstDays are the first check-ins, in days after the start.
	FirstDays []int
	// IntervalDays separates the later ones, counted from the last of FirstDays.
	IntervalDays int
	// GraceDays is how long after its due date a check-in becomes MISSED.
	GraceDays int
}

// WithDefaults fills unset fields with SPEC §2's defaults.
func (p Plan) WithDefaults() Plan {
	var first []int
	for _, d := range p.FirstDays {
		if d > 0 && !slices.Contains(first, d) {
			first = append(first, d)
		}
	}
	if len(first) == 0 {
		first = slices.Clone(DefaultFirstDays)
	}
	slices.Sort(first)
	p.FirstDays = first
	if p.IntervalDays <= 0 {
		p.IntervalDays = DefaultIntervalDays
	}
	if p.GraceDays <= 0 {
		p.GraceDays = DefaultGraceDays
	}
	return p
}

// Schedule returns the due dates of a stay from start to end: start + each of the first days,
// then every interval after the last of them, all strictly before end. The dates depend only
// on start, so that a renewal extends the schedule with the dates between the old end and the
// new one (ScheduleBetween).
func (p Plan) Schedule(start, end date.Date) []date.Date {
	p = p.WithDefaults()
	var out []date.Date
	for _, d := range p.FirstDays {
		if day := start.AddDays(d); day.Before(end) {
			out = append(out, day)
		}
	}
	for n := p.FirstDays[len(p.FirstDays)-1] + p.IntervalDays; ; n += p.IntervalDays {
		day := start.AddDays(n)
		if !day.Before(end) {
			break
		}
		out = append(out, day)
	}
	return out
}

// ScheduleBetween returns the due dates of a stay from start that fall on or after from and
// before end: what a renewal from end date `from` to `end` adds.
func (p Plan) ScheduleBetween(start, from, end date.Date) []date.Date {
	var out []date.Date
	for _, d := range p.Schedule(start, end) {
		if !d.Before(from) {
			out = append(out, d)
		}
	}
	return out
}

// Record is a check-in's full state, for storage.
type Record struct {
	ID          string
	ProgrammeID string
	ContractID  string
	Status      Status
	DueDate     date.Date
	// MissAfter is the last day of grace: the check-in is MISSED from the day after.
	MissAfter        date.Date
	DoneAt           time.Time
	Method           Method
	HostWellbeing    int
	StudentWellbeing int
	Notes            string
	Concern          bool
	Late             bool
	CompletedBy      string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Checkin is a check-in whose invariants hold.
type Checkin struct{ r Record }

// Errors of the check-in lifecycle.
var (
	ErrTransition = errs.FailedPrecondition("INVALID_TRANSITION", "this change is not allowed in the check-in's current status")
)

// New schedules a DUE check-in of a contract.
func New(id, programmeID, contractID string, due date.Date, graceDays int, at time.Time) *Checkin {
	if graceDays <= 0 {
		graceDays = DefaultGraceDays
	}
	return &Checkin{r: Record{
		ID: id, ProgrammeID: programmeID, ContractID: contractID, Status: StatusDue, DueDate: due,
		MissAfter: due.AddDays(graceDays), Version: 1, CreatedAt: at, UpdatedAt: at,
	}}
}

// FromRecord rebuilds a check-in read from storage.
func FromRecord(r Record) *Checkin { return &Checkin{r: r} }

// Record returns a copy of the check-in's state.
func (c *Checkin) Record() Record { return c.r }

// ID returns the check-in's id.
func (c *Checkin) ID() string { return c.r.ID }

// ProgrammeID returns the check-in's programme.
func (c *Checkin) ProgrammeID() string { return c.r.ProgrammeID }

// ContractID returns the contract followed.
func (c *Checkin) ContractID() string { return c.r.ContractID }

// Status returns the check-in's status.
func (c *Checkin) Status() Status { return c.r.Status }

// Version returns the check-in's version, which the etag renders.
func (c *Checkin) Version() int { return c.r.Version }

// Etag is the version the client must send back to change the check-in.
func (c *Checkin) Etag() string { return etag.Of(c.r.Version) }

// Report is what the coordinator records of a check-in.
type Report struct {
	Method           Method
	HostWellbeing    int
	StudentWellbeing int
	Notes            string
	Concern          bool
}

// Complete records a check-in: DUE → DONE, or MISSED → DONE marked late. Errors:
// ErrTransition (already done), errs.Invalid with every field at fault.
func (c *Checkin) Complete(rep Report, by string, at time.Time) error {
	switch c.r.Status {
	case StatusDone:
		return ErrTransition.WithMessage("this check-in was already completed")
	case StatusCancelled:
		return ErrTransition.WithMessage("this check-in was cancelled with its stay")
	}
	var v errs.Violations
	switch rep.Method {
	case MethodVisit, MethodPhone, MethodVideo:
	default:
		v.Add("method", "must be CHECKIN_METHOD_VISIT, CHECKIN_METHOD_PHONE or CHECKIN_METHOD_VIDEO")
	}
	v.Check(rep.HostWellbeing >= 1 && rep.HostWellbeing <= 5, "hostWellbeing", "must be between 1 and 5")
	v.Check(rep.StudentWellbeing >= 1 && rep.StudentWellbeing <= 5, "studentWellbeing", "must be between 1 and 5")
	rep.Notes = strings.TrimSpace(rep.Notes)
	v.Check(utf8.RuneCountInString(rep.Notes) <= MaxNotes, "notes", "must be at most %d characters", MaxNotes)
	if err := v.Err(); err != nil {
		return err
	}
	c.r.Late = c.r.Status == StatusMissed
	c.r.Status = StatusDone
	c.r.Method = rep.Method
	c.r.HostWellbeing = rep.HostWellbeing
	c.r.StudentWellbeing = rep.StudentWellbeing
	c.r.Notes = rep.Notes
	c.r.Concern = rep.Concern
	c.r.CompletedBy = by
	c.r.DoneAt = at
	c.touch(at)
	return nil
}

// Overdue reports whether a DUE check-in is past its grace period on day.
func (c *Checkin) Overdue(day date.Date) bool {
	return c.r.Status == StatusDue && day.After(c.r.MissAfter)
}

// Miss marks a DUE check-in past its grace period as MISSED. Errors: ErrTransition.
func (c *Checkin) Miss(day date.Date, at time.Time) error {
	if !c.Overdue(day) {
		return ErrTransition.WithMessage("only a due check-in past its grace period (until %s) can be missed", c.r.MissAfter)
	}
	c.r.Status = StatusMissed
	c.touch(at)
	return nil
}

// Cancel cancels a DUE check-in: its stay was cancelled before it began. It reports false
// (and changes nothing) for a check-in already done, missed or cancelled: what was recorded
// stays. Never an error.
func (c *Checkin) Cancel(at time.Time) bool {
	if c.r.Status != StatusDue {
		return false
	}
	c.r.Status = StatusCancelled
	c.touch(at)
	return true
}

func (c *Checkin) touch(at time.Time) {
	c.r.Version++
	c.r.UpdatedAt = at
}

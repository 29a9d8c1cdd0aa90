// Package application is the domain of applications: a verified student's request for a room,
// with their preferences, and how it moves from submitted to matched, placed or withdrawn. It
// does no I/O.
package application

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Status is where an application is in its lifecycle.
type Status string

// The application lifecycle of SPEC §2.
const (
	StatusSubmitted Status = "SUBMITTED"
	StatusMatched   Status = "MATCHED"
	StatusPlaced    Status = "PLACED"
	StatusWithdrawn Status = "WITHDRAWN"
)

// DefaultBudgetCap is the programme's contribution cap when its settings are not known
// (SPEC §2: 350 EUR a month).
const DefaultBudgetCap = 35000

// MaxAreas bounds the areas a student names; more would not narrow anything.
const MaxAreas = 10

// Preferences are what the student asks for.
type Preferences struct {
	BudgetCents int
	MoveIn      date.Date
	// MoveOut is zero when the student gives no end date.
	MoveOut date.Date
	// RoomID is the one room the application targets, or "".
	RoomID string
	Areas  []string
}

// Rules are the programme's settings an application must respect.
type Rules struct {
	BudgetCapCents int
}

// Applicant is what the domain needs to know of the student who applies.
type Applicant struct {
	StudentID   string
	ProgrammeID string
	Verified    bool
	// OpenApplicationID is the student's open (SUBMITTED or MATCHED) application, or "".
	OpenApplicationID string
	// RoomProgrammeID is the programme of the room the preferences target, as the hosts
	// service knows it: "" when it knows no such room (or none is targeted).
	RoomProgrammeID string
}

// Record is an application's full state, for storage.
type Record struct {
	ID          string
	ProgrammeID string
	StudentID   string
	Status      Status
	Preferences Preferences
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Application is an application whose invariants hold.
type Application struct{ r Record }

// Errors of the application lifecycle.
var (
	ErrStudentNotVerified = errs.FailedPrecondition("STUDENT_NOT_VERIFIED", "only a verified student can apply")
	ErrOpenExists         = errs.AlreadyExists("APPLICATION_OPEN", "the student already has an open application: withdraw it first")
	ErrTransition         = errs.FailedPrecondition("INVALID_TRANSITION", "this change is not allowed in the application's current status")
)

// New submits an application. Errors: ErrStudentNotVerified, ErrOpenExists, errs.Invalid with
// every field at fault.
func New(id string, who Applicant, p Preferences, rules Rules, at time.Time) (*Application, error) {
	if !who.Verified {
		return nil, ErrStudentNotVerified
	}
	if who.OpenApplicationID != "" {
		return nil, ErrOpenExists.WithMessage("the student already has an open application (%s): withdraw it first", who.OpenApplicationID)
	}
	p = normalize(p)
	v := validate(p, rules, at)
	if p.RoomID != "" && !hasField(v, "roomId") && who.RoomProgrammeID != who.ProgrammeID {
		// An unknown room and another programme's room read alike: the student learns
		// nothing of rooms out of reach.
		v.Add("roomId", "is not a room of the student's programme")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &Application{r: Record{
		ID: id, ProgrammeID: who.ProgrammeID, StudentID: who.StudentID, Status: StatusSubmitted,
		Preferences: p, Version: 1, CreatedAt: at, UpdatedAt: at,
	}}, nil
}

// TargetRoom is the room p targets, as New reads it, when its id is well formed: the one
// whose programme the caller looks up for Applicant.RoomProgrammeID. "" when none.
func TargetRoom(p Preferences) string {
	id := normalize(p).RoomID
	if len(id) != 36 || uuid.Validate(id) != nil {
		return ""
	}
	return id
}

func hasField(v errs.Violations, field string) bool {
	for _, x := range v {
		if x.Field == field {
			return true
		}
	}
	return false
}

// FromRecord rebuilds an application read from storage.
func FromRecord(r Record) *Application { return &Application{r: r} }

// Record returns a copy of the application's state.
func (a *Application) Record() Record {
	c := a.r
	c.Preferences.Areas = slices.Clone(c.Preferences.Areas)
	return c
}

// ID returns the application's id.
func (a *Application) ID() string { return a.r.ID }

// StudentID returns the id of the student who applied.
func (a *Application) StudentID() string { return a.r.StudentID }

// ProgrammeID returns the application's programme.
func (a *Application) ProgrammeID() string { return a.r.ProgrammeID }

// Status returns the application's status.
func (a *Application) Status() Status { return a.r.Status }

// Open reports whether the application is still in the matching pool or matched: a student
// has at most one such application.
func (a *Application) Open() bool { return IsOpen(a.r.Status) }

// IsOpen reports whether status s counts as open.
func IsOpen(s Status) bool { return s == StatusSubmitted || s == StatusMatched }

// Version returns the application's version, which the etag renders.
func (a *Application) Version() int { return a.r.Version }

// Etag is the version the client must send back to change the application.
func (a *Application) Etag() string { return etag.Of(a.r.Version) }

// Withdraw takes an open application out, at the student's or coordinator's request.
func (a *Application) Withdraw(at time.Time) error {
	if !a.Open() {
		return ErrTransition.WithMessage("only a submitted or matched application can be withdrawn (this one is %s)", a.r.Status)
	}
	return a.move(StatusWithdrawn, at)
}

// Match marks a submitted application as matched, when its match is approved.
func (a *Application) Match(at time.Time) error {
	if a.r.Status != StatusSubmitted {
		return ErrTransition.WithMessage("only a submitted application can be matched (this one is %s)", a.r.Status)
	}
	return a.move(StatusMatched, at)
}

// Unmatch puts a matched application back in the pool, when its match is cancelled before the
// stay.
func (a *Application) Unmatch(at time.Time) error {
	if a.r.Status != StatusMatched {
		return ErrTransition.WithMessage("only a matched application can return to the pool (this one is %s)", a.r.Status)
	}
	return a.move(StatusSubmitted, at)
}

// Resubmit puts a placed application back in the pool: its contract, active, was cancelled
// before the start date (the pair withdrew before moving in).
func (a *Application) Resubmit(at time.Time) error {
	if a.r.Status != StatusPlaced {
		return ErrTransition.WithMessage("only a placed application returns to the pool when its stay is cancelled before it starts (this one is %s)", a.r.Status)
	}
	return a.move(StatusSubmitted, at)
}

// Place closes a matched application once the stay starts.
func (a *Application) Place(at time.Time) error {
	if a.r.Status != StatusMatched {
		return ErrTransition.WithMessage("only a matched application can be placed (this one is %s)", a.r.Status)
	}
	return a.move(StatusPlaced, at)
}

func (a *Application) move(s Status, at time.Time) error {
	a.r.Status = s
	a.r.Version++
	a.r.UpdatedAt = at
	return nil
}

func normalize(p Preferences) Preferences {
	p.RoomID = strings.ToLower(strings.TrimSpace(p.RoomID))
	areas := make([]string, 0, len(p.Areas))
	for _, s := range p.Areas {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(areas, s) {
			areas = append(areas, s)
		}
	}
	p.Areas = areas
	return p
}

func validate(p Preferences, rules Rules, at time.Time) errs.Violations {
	var v errs.Violations
	capCents := rules.BudgetCapCents
	if capCents <= 0 {
		capCents = DefaultBudgetCap
	}
	switch {
	case p.BudgetCents < 0:
		v.Add("budgetCents", "must not be negative")
	case p.BudgetCents > capCents:
		// No room of the programme may ask more than the cap, so a higher budget only
		// misleads the student about what they will pay.
		v.Add("budgetCents", "must not exceed the programme's contribution cap of %d cents a month", capCents)
	}
	today := date.Of(at)
	switch {
	case p.MoveIn.IsZero():
		v.Add("moveInDate", "is required (YYYY-MM-DD)")
	case p.MoveIn.Before(today):
		v.Add("moveInDate", "must not be in the past")
	}
	if !p.MoveOut.IsZero() && !p.MoveIn.IsZero() {
		v.Check(p.MoveOut.After(p.MoveIn), "moveOutDate", "must be after moveInDate")
	}
	if p.RoomID != "" {
		v.Check(len(p.RoomID) == 36 && uuid.Validate(p.RoomID) == nil, "roomId", "is not a room id")
	}
	v.Check(len(p.Areas) <= MaxAreas, "areas", "name at most %d areas", MaxAreas)
	for _, s := range p.Areas {
		v.Check(utf8.RuneCountInString(s) <= 60, "areas", "each area must be at most 60 characters")
	}
	return v
}

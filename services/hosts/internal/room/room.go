// Package room is the domain of rooms: what a room offered on the platform must be, and how it
// moves from draft to published, reserved and occupied. It does no I/O.
package room

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Status is where a room is in its lifecycle.
type Status string

// The room lifecycle of SPEC §2.
const (
	StatusDraft     Status = "DRAFT"
	StatusPublished Status = "PUBLISHED"
	StatusReserved  Status = "RESERVED"
	StatusOccupied  Status = "OCCUPIED"
	StatusWithdrawn Status = "WITHDRAWN"
)

// MinAreaM2 is the law's minimum area of a room let in intergenerational homesharing.
const MinAreaM2 = 9

// DefaultContributionCap is the cap when the programme's settings are not known (SPEC §2).
const DefaultContributionCap = 35000

// Details is what describes a room.
type Details struct {
	Title                    string
	Description              string
	AreaM2                   float64
	Floor                    int
	Elevator                 bool
	Furnished                bool
	PrivateBathroom          bool
	MonthlyContributionCents int
	FormulaID                string
	SharedSpaces             []string
	AvailableFrom            date.Date
	// AvailableUntil is zero when the room is offered with no end date.
	AvailableUntil date.Date
	MinStayMonths  int
	SmokingAllowed bool
	PetsAllowed    bool
}

// Rules are the programme's settings a room must respect.
type Rules struct {
	ContributionCapCents int
	// Formulas the programme offers, by id; empty when unknown.
	Formulas map[string]Formula
}

// Formula is a programme's contribution range.
type Formula struct{ MinCents, MaxCents int }

// Record is a room's full state, for storage.
type Record struct {
	ID          string
	ProgrammeID string
	HostID      string
	City        string
	Status      Status
	Details     Details
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Room is a room whose invariants hold.
type Room struct{ r Record }

// Errors of the room lifecycle.
var (
	ErrTransition        = errs.FailedPrecondition("INVALID_TRANSITION", "this change is not allowed in the room's current status")
	ErrHostNotVerified   = errs.FailedPrecondition("HOST_NOT_VERIFIED", "only a verified host's room can be published")
	ErrNotFurnished      = errs.FailedPrecondition("ROOM_NOT_FURNISHED", "a room must be furnished (bed, desk, storage) to be published")
	ErrLocked            = errs.FailedPrecondition("ROOM_IN_USE", "a reserved or occupied room cannot be changed: the agreement fixes its terms")
	ErrWithdrawnReadOnly = errs.FailedPrecondition("ROOM_WITHDRAWN", "a withdrawn room cannot be changed")
)

// New creates a DRAFT room of a host.
func New(id, programmeID, hostID, city string, d Details, rules Rules, at time.Time) (*Room, error) {
	d = normalize(d)
	if err := validate(d, rules).Err(); err != nil {
		return nil, err
	}
	return &Room{r: Record{
		ID: id, ProgrammeID: programmeID, HostID: hostID, City: city,
		Status: StatusDraft, Details: d, Version: 1, CreatedAt: at, UpdatedAt: at,
	}}, nil
}

// FromRecord rebuilds a room read from storage.
func FromRecord(r Record) *Room { return &Room{r: r} }

// Record returns a copy of the room's state.
func (r *Room) Record() Record {
	c := r.r
	c.Details.SharedSpaces = slices.Clone(c.Details.SharedSpaces)
	return c
}

// ID returns the room's id.
func (r *Room) ID() string { return r.r.ID }

// HostID returns the id of the room's host.
func (r *Room) HostID() string { return r.r.HostID }

// ProgrammeID returns the room's programme.
func (r *Room) ProgrammeID() string { return r.r.ProgrammeID }

// Status returns the room's status.
func (r *Room) Status() Status { return r.r.Status }

// Version returns the room's version, which the etag renders.
func (r *Room) Version() int { return r.r.Version }

// Etag is the version the client must send back to change the room.
func (r *Room) Etag() string { return etag.Of(r.r.Version) }

// Update replaces the details after checking them.
func (r *Room) Update(d Details, rules Rules, at time.Time) error {
	switch r.r.Status {
	case StatusReserved, StatusOccupied:
		return ErrLocked
	case StatusWithdrawn:
		return ErrWithdrawnReadOnly
	}
	d = normalize(d)
	if err := validate(d, rules).Err(); err != nil {
		return err
	}
	r.r.Details = d
	r.touch(at)
	return nil
}

// SetCity follows the host's address.
func (r *Room) SetCity(city string, at time.Time) {
	if r.r.City != city {
		r.r.City = city
		r.touch(at)
	}
}

// Publish offers a DRAFT room to matching. hostVerified says whether its host is VERIFIED.
func (r *Room) Publish(hostVerified bool, at time.Time) error {
	if r.r.Status != StatusDraft {
		return ErrTransition.WithMessage("only a draft room can be published (this room is %s)", r.r.Status)
	}
	if !hostVerified {
		return ErrHostNotVerified
	}
	if !r.r.Details.Furnished {
		return ErrNotFurnished
	}
	return r.move(StatusPublished, at)
}

// Withdraw takes a DRAFT or PUBLISHED room off the platform.
func (r *Room) Withdraw(at time.Time) error {
	if r.r.Status != StatusDraft && r.r.Status != StatusPublished {
		return ErrTransition.WithMessage("only a draft or published room can be withdrawn (this room is %s)", r.r.Status)
	}
	return r.move(StatusWithdrawn, at)
}

// Reserve holds a PUBLISHED room for an approved match.
func (r *Room) Reserve(at time.Time) error {
	if r.r.Status != StatusPublished {
		return ErrTransition.WithMessage("only a published room can be reserved (this room is %s)", r.r.Status)
	}
	return r.move(StatusReserved, at)
}

// Occupy marks a RESERVED room as lived in, once the contract is active.
func (r *Room) Occupy(at time.Time) error {
	if r.r.Status != StatusReserved {
		return ErrTransition.WithMessage("only a reserved room can be occupied (this room is %s)", r.r.Status)
	}
	return r.move(StatusOccupied, at)
}

// Release puts a RESERVED or OCCUPIED room back on offer, when a match is cancelled before
// the stay or a stay ends.
func (r *Room) Release(at time.Time) error {
	if r.r.Status != StatusReserved && r.r.Status != StatusOccupied {
		return ErrTransition.WithMessage("only a reserved or occupied room can be released (this room is %s)", r.r.Status)
	}
	return r.move(StatusPublished, at)
}

func (r *Room) move(s Status, at time.Time) error {
	r.r.Status = s
	r.touch(at)
	return nil
}

func (r *Room) touch(at time.Time) {
	r.r.Version++
	r.r.UpdatedAt = at
}

func normalize(d Details) Details {
	d.Title = strings.TrimSpace(d.Title)
	d.Description = strings.TrimSpace(d.Description)
	d.FormulaID = strings.TrimSpace(d.FormulaID)
	spaces := make([]string, 0, len(d.SharedSpaces))
	for _, s := range d.SharedSpaces {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(spaces, s) {
			spaces = append(spaces, s)
		}
	}
	d.SharedSpaces = spaces
	return d
}

func validate(d Details, rules Rules) errs.Violations {
	var v errs.Violations
	v.Check(d.Title != "", "title", "is required")
	v.Check(utf8.RuneCountInString(d.Title) <= 120, "title", "must be at most 120 characters")
	v.Check(utf8.RuneCountInString(d.Description) <= 4000, "description", "must be at most 4000 characters")
	v.Check(d.AreaM2 >= MinAreaM2, "areaM2", "a room must be at least %d m² (it is %g m²)", MinAreaM2, d.AreaM2)
	v.Check(d.AreaM2 <= 200, "areaM2", "must be at most 200 m²")
	v.Check(d.Floor >= -2 && d.Floor <= 60, "floor", "must be between -2 and 60")
	capCents := rules.ContributionCapCents
	if capCents <= 0 {
		capCents = DefaultContributionCap
	}
	switch {
	case d.MonthlyContributionCents < 0:
		v.Add("monthlyContributionCents", "must not be negative")
	case d.MonthlyContributionCents > capCents:
		v.Add("monthlyContributionCents", "must not exceed the programme's cap of %d cents a month", capCents)
	}
	if d.FormulaID != "" && len(rules.Formulas) > 0 {
		f, ok := rules.Formulas[d.FormulaID]
		switch {
		case !ok:
			v.Add("formulaId", "%q is not one of the programme's formulas", d.FormulaID)
		case d.MonthlyContributionCents < f.MinCents || d.MonthlyContributionCents > f.MaxCents:
			v.Add("monthlyContributionCents", "must be between %d and %d cents for formula %q", f.MinCents, f.MaxCents, d.FormulaID)
		}
	}
	for _, s := range d.SharedSpaces {
		v.Check(utf8.RuneCountInString(s) <= 60, "sharedSpaces", "each space must be at most 60 characters")
	}
	v.Check(!d.AvailableFrom.IsZero(), "availableFrom", "is required (YYYY-MM-DD)")
	if !d.AvailableUntil.IsZero() && !d.AvailableFrom.IsZero() {
		v.Check(d.AvailableUntil.After(d.AvailableFrom), "availableUntil", "must be after availableFrom")
	}
	v.Check(d.MinStayMonths >= 0 && d.MinStayMonths <= 24, "minStayMonths", "must be between 0 and 24")
	return v
}

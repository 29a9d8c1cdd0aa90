// Package incident is the domain of incidents: a problem reported during a stay by a party or
// the coordinator, mediated and resolved by the coordinator. It does no I/O.
package incident

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Status is where an incident is in its lifecycle.
type Status string

// The incident lifecycle of SPEC §2.
const (
	StatusOpen        Status = "OPEN"
	StatusInMediation Status = "IN_MEDIATION"
	StatusResolved    Status = "RESOLVED"
)

// Severity of an incident.
type Severity string

// Severities, from the least to the most urgent.
const (
	SeverityLow      Severity = "LOW"
	SeverityMedium   Severity = "MEDIUM"
	SeverityHigh     Severity = "HIGH"
	SeverityCritical Severity = "CRITICAL"
)

// Rank orders severities: 1 (low) to 4 (critical), 0 for anything else.
func (s Severity) Rank() int {
	switch s {
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	case SeverityCritical:
		return 4
	}
	return 0
}

// Bounds of an incident's text.
const (
	MaxDescription = 4000
	MaxResolution  = 4000
	// DefaultCategory is used when the reporter names none.
	DefaultCategory = "OTHER"
)

var categoryPattern = regexp.MustCompile(`^[A-Z][A-Z0-9_]{1,29}$`)

// Report is what a reporter says.
type Report struct {
	Severity    Severity
	Category    string
	Description string
}

// Reporter is who reports: a party ("HOST", "STUDENT") or the coordinator ("").
type Reporter struct {
	Party     string
	AccountID string
}

// Record is an incident's full state, for storage.
type Record struct {
	ID          string
	ProgrammeID string
	ContractID  string
	Status      Status
	Severity    Severity
	Category    string
	Description string
	Reporter    Reporter
	Resolution  string
	MediatedBy  string
	ResolvedBy  string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Incident is an incident whose invariants hold.
type Incident struct{ r Record }

// ErrTransition is a change the incident's status does not allow.
var ErrTransition = errs.FailedPrecondition("INVALID_TRANSITION", "this change is not allowed in the incident's current status")

// New opens an incident on a contract. Errors: errs.Invalid with every field at fault.
func New(id, programmeID, contractID string, rep Report, who Reporter, at time.Time) (*Incident, error) {
	var v errs.Violations
	if rep.Severity.Rank() == 0 {
		v.Add("severity", "must be SEVERITY_LOW, SEVERITY_MEDIUM, SEVERITY_HIGH or SEVERITY_CRITICAL")
	}
	rep.Category = strings.ToUpper(strings.TrimSpace(rep.Category))
	if rep.Category == "" {
		rep.Category = DefaultCategory
	}
	v.Check(categoryPattern.MatchString(rep.Category), "category", "must be a short code in capitals, such as NOISE, PAYMENT, BEHAVIOUR, HEALTH or OTHER")
	rep.Description = strings.TrimSpace(rep.Description)
	v.Check(rep.Description != "", "description", "is required")
	v.Check(utf8.RuneCountInString(rep.Description) <= MaxDescription, "description", "must be at most %d characters", MaxDescription)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return &Incident{r: Record{
		ID: id, ProgrammeID: programmeID, ContractID: contractID, Status: StatusOpen,
		Severity: rep.Severity, Category: rep.Category, Description: rep.Description, Reporter: who,
		Version: 1, CreatedAt: at, UpdatedAt: at,
	}}, nil
}

// FromRecord rebuilds an incident read from storage.
func FromRecord(r Record) *Incident { return &Incident{r: r} }

// Record returns a copy of the incident's state.
func (i *Incident) Record() Record { return i.r }

// ID returns the incident's id.
func (i *Incident) ID() string { return i.r.ID }

// ProgrammeID returns the incident's programme.
func (i *Incident) ProgrammeID() string { return i.r.ProgrammeID }

// ContractID returns the contract the incident is about.
func (i *Incident) ContractID() string { return i.r.ContractID }

// Status returns the incident's status.
func (i *Incident) Status() Status { return i.r.Status }

// Severity returns the incident's severity.
func (i *Incident) Severity() Severity { return i.r.Severity }

// Version returns the incident's version, which the etag renders.
func (i *Incident) Version() int { return i.r.Version }

// Etag is the version the client must send back to change the incident.
func (i *Incident) Etag() string { return etag.Of(i.r.Version) }

// Mediate starts a mediation: OPEN → IN_MEDIATION. Errors: ErrTransition.
func (i *Incident) Mediate(by string, at time.Time) error {
	if i.r.Status != StatusOpen {
		return ErrTransition.WithMessage("only an open incident can go to mediation (this one is %s)", i.r.Status)
	}
	i.r.Status = StatusInMediation
	i.r.MediatedBy = by
	i.touch(at)
	return nil
}

// Resolve closes the incident: OPEN or IN_MEDIATION → RESOLVED. Errors: ErrTransition,
// errs.Invalid on "resolution".
func (i *Incident) Resolve(resolution, by string, at time.Time) error {
	if i.r.Status == StatusResolved {
		return ErrTransition.WithMessage("this incident is already resolved")
	}
	resolution = strings.TrimSpace(resolution)
	var v errs.Violations
	v.Check(resolution != "", "resolution", "is required")
	v.Check(utf8.RuneCountInString(resolution) <= MaxResolution, "resolution", "must be at most %d characters", MaxResolution)
	if err := v.Err(); err != nil {
		return err
	}
	i.r.Status = StatusResolved
	i.r.Resolution = resolution
	i.r.ResolvedBy = by
	i.touch(at)
	return nil
}

func (i *Incident) touch(at time.Time) {
	i.r.Version++
	i.r.UpdatedAt = at
}

// Package contract is the domain of contracts: the agreement between a host and a student for
// one stay, its terms, signatures, notice and end. It does no I/O.
package contract

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Status is where a contract is in its lifecycle.
type Status string

// The contract lifecycle of SPEC §2.
const (
	StatusDraft              Status = "DRAFT"
	StatusAwaitingSignatures Status = "AWAITING_SIGNATURES"
	StatusActive             Status = "ACTIVE"
	StatusNoticeGiven        Status = "NOTICE_GIVEN"
	StatusTerminated         Status = "TERMINATED"
	StatusEnded              Status = "ENDED"
	StatusCancelled          Status = "CANCELLED"
)

// Party is one side of the contract; "" is the coordinator acting for the programme.
type Party string

// Parties of a contract.
const (
	PartyHost    Party = "HOST"
	PartyStudent Party = "STUDENT"
)

// Method is how a signature was given.
type Method string

// Signature methods.
const (
	MethodElectronic Method = "ELECTRONIC"
	MethodPaper      Method = "PAPER"
	MethodInPerson   Method = "IN_PERSON"
)

// Legal defaults (code de la construction et de l'habitation, art. L631-17; SPEC §2), which
// apply when a programme's settings say nothing.
const (
	// LegalNoticeMonths is the notice either party gives outside the trial period: one
	// calendar month, the law's, which no programme setting shortens or lengthens.
	LegalNoticeMonths = 1
	// LegalNoticeDays is what Terms.NoticeDays always holds, for clients that still show a
	// number of days; no date is computed from it (see EarliestEffectiveDate).
	LegalNoticeDays        = 30
	DefaultTrialDays       = 30
	DefaultTrialNoticeDays = 15
	DefaultContributionCap = 35000
	// DefaultStayMonths is how long a stay left open by the application and the room is
	// proposed to last. No programme setting says otherwise yet: a constant, 12 months.
	DefaultStayMonths = 12
)

// Bounds of free text, so that a contract stays printable.
const (
	MaxTitle     = 200
	MaxText      = 4000
	MaxInventory = 8000
	MaxReason    = 2000
	MaxSpaces    = 20
	MaxSpace     = 100
	MaxFormula   = 60
	MaxServices  = 20
)

// Terms are what the charter and practice ask a contract to hold.
type Terms struct {
	RoomTitle                string
	RoomAreaM2               float64
	SharedSpaces             []string
	StartDate                date.Date
	EndDate                  date.Date
	FormulaID                string
	MonthlyContributionCents int
	EveningsPerWeek          int
	HoursPerWeek             int
	// Services are names from the platform's catalogue without prefix ("COMPANY").
	Services   []string
	HouseRules string
	// NoticeDays is always LegalNoticeDays (normalize sets it): the notice is one calendar
	// month (LegalNoticeMonths), whatever a client sends.
	NoticeDays      int
	TrialDays       int
	TrialNoticeDays int
	HostDuties      string
	StudentDuties   string
	// EntryInventory is the état des lieux d'entrée.
	EntryInventory string
}

// Rules are the programme's settings the terms must respect.
type Rules struct {
	// ContributionCapCents is the programme's cap; 0 means the default.
	ContributionCapCents int
	// Formulas are the programme's formulas; when there are any, a formula id must name one
	// and the contribution fall within its range.
	Formulas []Formula
	// Room is the room's availability; a contract's methods fill it from their record.
	Room Availability
}

// Formula is a programme's formula as far as the terms depend on it.
type Formula struct {
	ID                   string
	MinContributionCents int
	MaxContributionCents int
}

// Availability is the period a room is offered for (zero dates: open).
type Availability struct {
	From  date.Date
	Until date.Date
}

// Signature is one party's signature: which party, how, and who recorded it.
type Signature struct {
	Party  Party
	Method Method
	// SignedBy is the account that recorded the signature: the party's own (ELECTRONIC), or
	// the coordinator's who recorded it on paper or in person.
	SignedBy string
	// OnBehalf is true when a coordinator recorded the party's signature.
	OnBehalf bool
	At       time.Time
}

// Termination is the notice given before the end date.
type Termination struct {
	// Party is who asked ("" for the coordinator on their own account).
	Party     Party
	AccountID string
	Reason    string
	// Category is the reason's category (one of TerminationCategories), "" when not given:
	// what the figures count, since Reason is the party's own words.
	Category      string
	EffectiveDate date.Date
	NoticeAt      time.Time
}

// TerminationCategories are the categories of an early end's reason (SPEC §8's figures).
var TerminationCategories = []string{"STUDIES_OR_WORK", "HOST_HEALTH", "DISAGREEMENT", "PERSONAL", "OTHER"}

// Match is what an approved match brings to a contract.
type Match struct {
	MatchID       string
	ProgrammeID   string
	RoomID        string
	HostID        string
	StudentID     string
	ApplicationID string
	HostAssisted  bool
	Room          Availability
}

// Record is a contract's full state, for storage.
type Record struct {
	ID            string
	ProgrammeID   string
	MatchID       string
	RoomID        string
	HostID        string
	StudentID     string
	ApplicationID string
	HostAssisted  bool
	// Room is the room's availability as this service last learnt it: the terms stay within.
	Room         Availability
	Status       Status
	Terms        Terms
	Signatures   []Signature
	Termination  *Termination
	CancelReason string
	// EndReason is a coded reason of the last status change (events carry no free text).
	EndReason string
	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Contract is a contract whose invariants hold.
type Contract struct{ r Record }

// Errors of the contract lifecycle.
var (
	ErrTransition    = errs.FailedPrecondition("INVALID_TRANSITION", "this change is not allowed in the contract's current status")
	ErrIncomplete    = errs.FailedPrecondition("TERMS_INCOMPLETE", "the terms are not complete")
	ErrAlreadySigned = errs.FailedPrecondition("ALREADY_SIGNED", "this party has already signed")
	// ErrStayStarted refuses to cancel a contract whose stay has begun: notice ends it.
	ErrStayStarted = errs.FailedPrecondition("STAY_STARTED", "the stay has begun: give notice to end the contract instead of cancelling it")
)

// Draft creates a DRAFT contract for an approved match with terms (defaults filled by the
// caller). The terms are not checked: a draft is work in progress that a coordinator
// completes.
func Draft(id string, m Match, t Terms, at time.Time) *Contract {
	return &Contract{r: Record{
		ID: id, ProgrammeID: m.ProgrammeID, MatchID: m.MatchID, RoomID: m.RoomID, HostID: m.HostID,
		StudentID: m.StudentID, ApplicationID: m.ApplicationID, HostAssisted: m.HostAssisted, Room: m.Room,
		Status: StatusDraft, Terms: normalize(t), Version: 1, CreatedAt: at, UpdatedAt: at,
	}}
}

// FromRecord rebuilds a contract read from storage.
func FromRecord(r Record) *Contract { return &Contract{r: r} }

// Record returns a copy of the contract's state.
func (c *Contract) Record() Record {
	r := c.r
	r.Terms.SharedSpaces = slices.Clone(r.Terms.SharedSpaces)
	r.Terms.Services = slices.Clone(r.Terms.Services)
	r.Signatures = slices.Clone(r.Signatures)
	if r.Termination != nil {
		t := *r.Termination
		r.Termination = &t
	}
	return r
}

// ID returns the contract's id.
func (c *Contract) ID() string { return c.r.ID }

// ProgrammeID returns the contract's programme.
func (c *Contract) ProgrammeID() string { return c.r.ProgrammeID }

// HostID returns the host's id.
func (c *Contract) HostID() string { return c.r.HostID }

// StudentID returns the student's id.
func (c *Contract) StudentID() string { return c.r.StudentID }

// MatchID returns the match the contract was drafted from.
func (c *Contract) MatchID() string { return c.r.MatchID }

// Status returns the contract's status.
func (c *Contract) Status() Status { return c.r.Status }

// Terms returns a copy of the terms.
func (c *Contract) Terms() Terms { return c.Record().Terms }

// HostAssisted reports whether the host has no account and a coordinator acts for them.
func (c *Contract) HostAssisted() bool { return c.r.HostAssisted }

// Room returns the room's availability the terms must stay within.
func (c *Contract) Room() Availability { return c.r.Room }

// SetRoom records the room's availability as the hosts service now publishes it.
func (c *Contract) SetRoom(a Availability) { c.r.Room = a }

// Version returns the contract's version, which the etag renders.
func (c *Contract) Version() int { return c.r.Version }

// Etag is the version the client must send back to change the contract.
func (c *Contract) Etag() string { return etag.Of(c.r.Version) }

// SignedBy reports whether party has signed.
func (c *Contract) SignedBy(p Party) bool {
	return slices.ContainsFunc(c.r.Signatures, func(s Signature) bool { return s.Party == p })
}

// UpdateTerms replaces the terms of a DRAFT contract. Errors: ErrTransition, errs.Invalid with
// every field at fault (fields named "terms.<jsonName>").
func (c *Contract) UpdateTerms(t Terms, rules Rules, at time.Time) error {
	if c.r.Status != StatusDraft {
		return ErrTransition.WithMessage("the terms can be changed only while the contract is a draft (this one is %s)", c.r.Status)
	}
	var v errs.Violations
	// The notice is the law's calendar month: a client echoing the terms it read is fine, one
	// that asks for another notice is told why it cannot.
	if t.NoticeDays != c.r.Terms.NoticeDays && t.NoticeDays != LegalNoticeDays {
		v.Add("terms.noticeDays", "is the law's notice of one calendar month (art. L631-17) and cannot be changed")
	}
	t = normalize(t)
	rules.Room = c.r.Room
	v = append(v, Validate(t, rules)...)
	if err := v.Err(); err != nil {
		return err
	}
	c.r.Terms = t
	c.touch(at)
	return nil
}

// Validate checks terms against the law and the programme's rules.
func Validate(t Terms, rules Rules) errs.Violations {
	var v errs.Violations
	capCents := rules.ContributionCapCents
	if capCents <= 0 {
		capCents = DefaultContributionCap
	}
	const f = "terms."
	v.Check(utf8.RuneCountInString(t.RoomTitle) <= MaxTitle, f+"roomTitle", "must be at most %d characters", MaxTitle)
	v.Check(t.RoomAreaM2 >= 0, f+"roomAreaM2", "must not be negative")
	if t.RoomAreaM2 > 0 && t.RoomAreaM2 < 9 {
		v.Add(f+"roomAreaM2", "a private room is at least 9 m²")
	}
	v.Check(len(t.SharedSpaces) <= MaxSpaces, f+"sharedSpaces", "name at most %d shared spaces", MaxSpaces)
	for _, s := range t.SharedSpaces {
		v.Check(utf8.RuneCountInString(s) <= MaxSpace, f+"sharedSpaces", "each shared space must be at most %d characters", MaxSpace)
	}
	if !t.StartDate.IsZero() && !t.EndDate.IsZero() {
		v.Check(t.EndDate.After(t.StartDate), f+"endDate", "must be after startDate")
	}
	// A contract never leaves the room's availability (SPEC §2).
	if from := rules.Room.From; !from.IsZero() && !t.StartDate.IsZero() && t.StartDate.Before(from) {
		v.Add(f+"startDate", "must not be before the room is available, from %s", from)
	}
	if until := rules.Room.Until; !until.IsZero() && !t.EndDate.IsZero() && t.EndDate.After(until) {
		v.Add(f+"endDate", "must not be after the room's availability ends, on %s", until)
	}
	v.Check(utf8.RuneCountInString(t.FormulaID) <= MaxFormula, f+"formulaId", "must be at most %d characters", MaxFormula)
	formula, known := Formula{}, len(rules.Formulas) == 0
	for _, fo := range rules.Formulas {
		if fo.ID == t.FormulaID {
			formula, known = fo, true
		}
	}
	if t.FormulaID != "" && !known {
		v.Add(f+"formulaId", "%q is not one of the programme's formulas", t.FormulaID)
	}
	switch {
	case t.MonthlyContributionCents < 0:
		v.Add(f+"monthlyContributionCents", "must not be negative")
	case t.MonthlyContributionCents > capCents:
		v.Add(f+"monthlyContributionCents", "must not exceed the programme's cap of %s a month", Euros(capCents))
	case formula.ID != "" && t.MonthlyContributionCents < formula.MinContributionCents:
		v.Add(f+"monthlyContributionCents", "must be at least %s a month in formula %q", Euros(formula.MinContributionCents), formula.ID)
	case formula.ID != "" && formula.MaxContributionCents > 0 && t.MonthlyContributionCents > formula.MaxContributionCents:
		v.Add(f+"monthlyContributionCents", "must be at most %s a month in formula %q", Euros(formula.MaxContributionCents), formula.ID)
	}
	v.Check(t.EveningsPerWeek >= 0 && t.EveningsPerWeek <= 7, f+"eveningsPerWeek", "must be between 0 and 7")
	v.Check(t.HoursPerWeek >= 0 && t.HoursPerWeek <= 20, f+"hoursPerWeek", "must be between 0 and 20")
	v.Check(len(t.Services) <= MaxServices, f+"services", "name at most %d services", MaxServices)
	for _, s := range t.Services {
		v.Check(s != "" && s != "UNKNOWN", f+"services", "%q is not a service of the catalogue", s)
	}
	v.Check(utf8.RuneCountInString(t.HouseRules) <= MaxText, f+"houseRules", "must be at most %d characters", MaxText)
	v.Check(utf8.RuneCountInString(t.HostDuties) <= MaxText, f+"hostDuties", "must be at most %d characters", MaxText)
	v.Check(utf8.RuneCountInString(t.StudentDuties) <= MaxText, f+"studentDuties", "must be at most %d characters", MaxText)
	v.Check(utf8.RuneCountInString(t.EntryInventory) <= MaxInventory, f+"entryInventory", "must be at most %d characters", MaxInventory)
	v.Check(t.TrialDays >= 0 && t.TrialDays <= 365, f+"trialDays", "must be between 0 and 365")
	// The trial period's notice is shorter than the law's month, never longer.
	switch {
	case t.TrialNoticeDays < 0:
		v.Add(f+"trialNoticeDays", "must not be negative")
	case t.TrialNoticeDays > MinMonthDays:
		v.Add(f+"trialNoticeDays", "must be shorter than the month's notice: at most %d days", MinMonthDays)
	}
	return v
}

// MinMonthDays is the shortest calendar month: a trial notice of more days could outlast the
// law's month.
const MinMonthDays = 28

// missing lists the terms a contract needs before it is sent for signature.
func missing(t Terms) []string {
	var m []string
	if strings.TrimSpace(t.RoomTitle) == "" {
		m = append(m, "roomTitle")
	}
	if t.RoomAreaM2 <= 0 {
		m = append(m, "roomAreaM2")
	}
	if t.StartDate.IsZero() {
		m = append(m, "startDate")
	}
	if t.EndDate.IsZero() {
		m = append(m, "endDate")
	}
	if strings.TrimSpace(t.HouseRules) == "" {
		m = append(m, "houseRules")
	}
	if strings.TrimSpace(t.HostDuties) == "" {
		m = append(m, "hostDuties")
	}
	if strings.TrimSpace(t.StudentDuties) == "" {
		m = append(m, "studentDuties")
	}
	return m
}

// Send puts a DRAFT contract up for signature. Errors: ErrTransition, ErrIncomplete (naming
// what is missing), errs.Invalid (terms that break the rules, e.g. a cap lowered since).
func (c *Contract) Send(rules Rules, at time.Time) error {
	if c.r.Status != StatusDraft {
		return ErrTransition.WithMessage("only a draft can be sent for signature (this one is %s)", c.r.Status)
	}
	if m := missing(c.r.Terms); len(m) > 0 {
		return ErrIncomplete.WithMessage("the terms are not complete: fill in %s", strings.Join(m, ", "))
	}
	rules.Room = c.r.Room
	if err := Validate(c.r.Terms, rules).Err(); err != nil {
		return err
	}
	c.r.Status = StatusAwaitingSignatures
	c.touch(at)
	return nil
}

// Sign records s; the contract becomes ACTIVE when both parties have signed, and Sign then
// reports true. Errors: ErrTransition (not awaiting signatures), ErrAlreadySigned, Invalid
// (no such party or method).
func (c *Contract) Sign(s Signature) (activated bool, err error) {
	if c.r.Status != StatusAwaitingSignatures {
		return false, ErrTransition.WithMessage("only a contract awaiting signatures can be signed (this one is %s)", c.r.Status)
	}
	if s.Party != PartyHost && s.Party != PartyStudent {
		return false, errs.Invalid(errs.Violation{Field: "party", Description: "must be PARTY_HOST or PARTY_STUDENT"})
	}
	switch s.Method {
	case MethodElectronic, MethodPaper, MethodInPerson:
	default:
		return false, errs.Invalid(errs.Violation{Field: "method", Description: "is not a signature method"})
	}
	if c.SignedBy(s.Party) {
		return false, ErrAlreadySigned.WithMessage("the %s has already signed", strings.ToLower(string(s.Party)))
	}
	c.r.Signatures = append(c.r.Signatures, s)
	c.touch(s.At)
	if c.SignedBy(PartyHost) && c.SignedBy(PartyStudent) {
		c.r.Status = StatusActive
		return true, nil
	}
	return false, nil
}

// Reopen takes a contract awaiting signatures back to DRAFT so that a term can be corrected;
// the signatures already given are cleared (they were given to terms that may change).
// Errors: ErrTransition.
func (c *Contract) Reopen(at time.Time) error {
	if c.r.Status != StatusAwaitingSignatures {
		return ErrTransition.WithMessage("only a contract awaiting signatures can be reopened (this one is %s)", c.r.Status)
	}
	c.r.Status = StatusDraft
	c.r.Signatures = nil
	c.touch(at)
	return nil
}

// InTrial reports whether day falls within the trial period (trial_days from the start).
func (t Terms) InTrial(day date.Date) bool {
	return t.TrialDays > 0 && !t.StartDate.IsZero() && day.Before(t.StartDate.AddDays(t.TrialDays))
}

// EarliestEffectiveDate is the first day a notice given on day may take effect: one calendar
// month after it (the trial period's shorter notice, in days, during the trial).
func (t Terms) EarliestEffectiveDate(day date.Date) date.Date {
	if t.InTrial(day) {
		return day.AddDays(t.TrialNoticeDays)
	}
	return AddMonths(day, LegalNoticeMonths)
}

// AddMonths is d plus n calendar months, on the same day of the month, or on the month's
// last day when it has no such day (31 January + 1 month = 28 or 29 February), as French law
// counts a period in months (code de procédure civile, art. 641).
func AddMonths(d date.Date, n int) date.Date {
	t := d.Time()
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return date.New(first.Year(), first.Month(), min(t.Day(), last))
}

// ProposeDates are the dates a draft proposes from the application's move-in and move-out
// dates and the room's availability: the stay starts on move-in, not before the room is
// available; it ends on move-out, or when it is open on the room's last day, or else
// stayMonths after the start (DefaultStayMonths when 0); never after the room's last day.
// A zero start stays zero (the coordinator fills it in).
func ProposeDates(moveIn, moveOut date.Date, room Availability, stayMonths int) (start, end date.Date) {
	if stayMonths <= 0 {
		stayMonths = DefaultStayMonths
	}
	start, end = moveIn, moveOut
	if !room.From.IsZero() && (start.IsZero() || start.Before(room.From)) {
		start = room.From
	}
	if end.IsZero() {
		switch {
		case !room.Until.IsZero():
			end = room.Until
		case !start.IsZero():
			end = AddMonths(start, stayMonths).AddDays(-1)
		}
	}
	if !room.Until.IsZero() && end.After(room.Until) {
		end = room.Until
	}
	return start, end
}

// Terminate gives notice on an ACTIVE contract, on day (today). Errors: ErrTransition,
// errs.Invalid on "effectiveDate" (naming the earliest date allowed) or "reason".
func (c *Contract) Terminate(n Termination, day date.Date) error {
	if c.r.Status != StatusActive {
		return ErrTransition.WithMessage("only an active contract can be terminated (this one is %s)", c.r.Status)
	}
	var v errs.Violations
	n.Reason = strings.TrimSpace(n.Reason)
	v.Check(n.Reason != "", "reason", "is required")
	v.Check(utf8.RuneCountInString(n.Reason) <= MaxReason, "reason", "must be at most %d characters", MaxReason)
	v.Check(n.Category == "" || slices.Contains(TerminationCategories, n.Category), "reasonCategory", "must be one of %s", strings.Join(TerminationCategories, ", "))
	earliest := c.r.Terms.EarliestEffectiveDate(day)
	end := c.r.Terms.EndDate
	switch {
	case n.EffectiveDate.IsZero():
		v.Add("effectiveDate", "is required (YYYY-MM-DD); the earliest allowed date is %s", earliest)
	case n.EffectiveDate.Before(earliest):
		period := "one calendar month's notice"
		if c.r.Terms.InTrial(day) {
			period = fmt.Sprintf("trial period's notice of %d days", c.r.Terms.TrialNoticeDays)
		}
		v.Add("effectiveDate", "must respect the %s: the earliest allowed date is %s", period, earliest)
	case !end.IsZero() && n.EffectiveDate.After(end):
		v.Add("effectiveDate", "must not be after the end date %s (the contract ends then anyway)", end)
	}
	if err := v.Err(); err != nil {
		return err
	}
	c.r.Termination = &n
	c.r.Status = StatusNoticeGiven
	c.r.EndReason = "REQUESTED_BY_" + requester(n.Party)
	c.touch(n.NoticeAt)
	return nil
}

func requester(p Party) string {
	if p == "" {
		return "COORDINATOR"
	}
	return string(p)
}

// Renew moves the end date of an ACTIVE contract later, never past the room's availability.
// Errors: ErrTransition, Invalid on "endDate".
func (c *Contract) Renew(end date.Date, at time.Time) error {
	if c.r.Status != StatusActive {
		return ErrTransition.WithMessage("only an active contract can be renewed (this one is %s)", c.r.Status)
	}
	switch until := c.r.Room.Until; {
	case end.IsZero():
		return errs.Invalid(errs.Violation{Field: "endDate", Description: "is required (YYYY-MM-DD)"})
	case !end.After(c.r.Terms.EndDate):
		return errs.Invalid(errs.Violation{Field: "endDate", Description: "must be after the current end date " + c.r.Terms.EndDate.String()})
	case !until.IsZero() && end.After(until):
		return errs.Invalid(errs.Violation{Field: "endDate", Description: "must not be after the room's availability ends, on " + until.String()})
	}
	c.r.Terms.EndDate = end
	c.r.EndReason = ""
	c.touch(at)
	return nil
}

// Cancel cancels a contract before the stay: a DRAFT, one AWAITING_SIGNATURES, or an ACTIVE
// one before its start date, on day (today): the pair withdraws before moving in. Errors:
// ErrTransition, ErrStayStarted (ACTIVE on or after its start date), Invalid on "reason".
func (c *Contract) Cancel(reason, code string, day date.Date, at time.Time) error {
	switch c.r.Status {
	case StatusDraft, StatusAwaitingSignatures:
	case StatusActive:
		if start := c.r.Terms.StartDate; start.IsZero() || !day.Before(start) {
			return ErrStayStarted.WithMessage("the stay began on %s: give notice to end the contract instead of cancelling it", start)
		}
	default:
		return ErrTransition.WithMessage("only a draft, a contract awaiting signatures or an active one before its start date can be cancelled (this one is %s)", c.r.Status)
	}
	reason = strings.TrimSpace(reason)
	var v errs.Violations
	v.Check(reason != "", "reason", "is required")
	v.Check(utf8.RuneCountInString(reason) <= MaxReason, "reason", "must be at most %d characters", MaxReason)
	if err := v.Err(); err != nil {
		return err
	}
	c.r.Status = StatusCancelled
	c.r.CancelReason = reason
	c.r.EndReason = code
	c.touch(at)
	return nil
}

// Due reports what the passing of day does to the contract: NOTICE_GIVEN becomes TERMINATED
// on its effective date, ACTIVE becomes ENDED on its end date. It returns the new status, or
// "" when nothing is due.
func (c *Contract) Due(day date.Date) Status {
	switch c.r.Status {
	case StatusNoticeGiven:
		if c.r.Termination != nil && !day.Before(c.r.Termination.EffectiveDate) {
			return StatusTerminated
		}
	case StatusActive:
		if !c.r.Terms.EndDate.IsZero() && !day.Before(c.r.Terms.EndDate) {
			return StatusEnded
		}
	}
	return ""
}

// Expire applies what Due reports. Errors: ErrTransition when nothing is due on day.
func (c *Contract) Expire(day date.Date, at time.Time) (Status, error) {
	s := c.Due(day)
	if s == "" {
		return "", ErrTransition.WithMessage("nothing is due on %s for a %s contract", day, c.r.Status)
	}
	c.r.Status = s
	if s == StatusEnded {
		c.r.EndReason = "END_DATE_REACHED"
	}
	c.touch(at)
	return s, nil
}

// LastDay is the day the stay ends: the effective date of a notice, or the end date.
func (c *Contract) LastDay() date.Date {
	if c.r.Termination != nil {
		return c.r.Termination.EffectiveDate
	}
	return c.r.Terms.EndDate
}

func (c *Contract) touch(at time.Time) {
	c.r.Version++
	c.r.UpdatedAt = at
}

func normalize(t Terms) Terms {
	t.NoticeDays = LegalNoticeDays
	t.RoomTitle = strings.TrimSpace(t.RoomTitle)
	t.FormulaID = strings.TrimSpace(t.FormulaID)
	spaces := make([]string, 0, len(t.SharedSpaces))
	for _, s := range t.SharedSpaces {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(spaces, s) {
			spaces = append(spaces, s)
		}
	}
	t.SharedSpaces = spaces
	svcs := make([]string, 0, len(t.Services))
	for _, s := range t.Services {
		if !slices.Contains(svcs, s) {
			svcs = append(svcs, s)
		}
	}
	t.Services = svcs
	return t
}

// Parties is what the service knows of the people behind a contract's host and student, from
// their profiles' events: their accounts (empty for an assisted host, or while the profile has
// not arrived) and their names.
type Parties struct {
	HostAccountID    string
	HostName         string
	StudentAccountID string
	StudentName      string
}

// Of returns the party account id is on the contract, or "" when it is neither.
func (p Parties) Of(accountID string) Party {
	switch {
	case accountID == "":
		return ""
	case p.HostAccountID == accountID:
		return PartyHost
	case p.StudentAccountID == accountID:
		return PartyStudent
	}
	return ""
}

// Package student is the domain of students: young people looking for a room. It decides what
// a valid student is and which status changes are allowed; it does no I/O.
package student

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/person"
)

// Status is where a student is in their lifecycle.
type Status string

// The student lifecycle of SPEC §2.
const (
	StatusPendingVerification Status = "PENDING_VERIFICATION"
	StatusVerified            Status = "VERIFIED"
	StatusPlaced              Status = "PLACED"
	StatusAlumni              Status = "ALUMNI"
	StatusArchived            Status = "ARCHIVED"
)

// LegalMaxAge is the age a student must be under on the day of verification (CCH art.
// L631-17); programmes may lower it, never raise it.
const LegalMaxAge = 30

// MaxMotivation bounds the free text a student writes to the coordinator.
const MaxMotivation = 2000

// StudyPlace is where the student studies; it is what commute distances are measured from.
type StudyPlace struct {
	// Lat and Lng place it; both 0 when unknown.
	Lat, Lng float64
	City     string
	// Postcode is optional; it tells a commune from its homonyms and an arrondissement of
	// Paris, Lyon or Marseille from another.
	Postcode string `json:",omitempty"`
	// Approximate: Lat and Lng were not given but found from City and Postcode (the centre
	// of the commune, see locate); set by the student record, never by the caller.
	Approximate bool `json:",omitempty"`
}

// Profile is what a student or a coordinator tells about the student.
type Profile struct {
	DisplayName          string
	BirthDate            date.Date
	Email                string
	Phone                string
	Institution          string
	Studies              string
	StudyPlace           StudyPlace
	MaxCommuteKm         int
	Languages            []string
	Smokes               bool
	HasPets              bool
	AcceptsSmokers       bool
	AcceptsPets          bool
	Gender               string
	ServicesOffered      []string
	HoursOfferedPerWeek  int
	NightsPresentPerWeek int
	Rhythm               string
	Motivation           string
}

// Registration says who registers the student.
type Registration struct {
	ID          string
	ProgrammeID string
	// OwnerAccountID is the student's own account; empty when a coordinator registers them.
	OwnerAccountID string
	RegisteredBy   string
	At             time.Time
}

// Record is a student's full state, for storage. Only this package changes it.
type Record struct {
	ID             string
	ProgrammeID    string
	Status         Status
	Profile        Profile
	OwnerAccountID string
	RegisteredBy   string
	VerifiedAt     time.Time
	VerifiedBy     string
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// Student is a student whose invariants hold.
type Student struct{ r Record }

// Errors of the student lifecycle.
var (
	ErrTooOld     = errs.FailedPrecondition("STUDENT_TOO_OLD", "the student is not under the programme's maximum age")
	ErrTransition = errs.FailedPrecondition("INVALID_TRANSITION", "this change is not allowed in the student's current status")
	ErrArchived   = errs.FailedPrecondition("STUDENT_ARCHIVED", "an archived student cannot be changed")
	// ErrOpenApplication refuses to archive a student whose application is still open.
	ErrOpenApplication = errs.FailedPrecondition("APPLICATION_OPEN", "the student has an open application: withdraw it first")
)

// New registers a student in PENDING_VERIFICATION. It returns errs.Invalid with every field
// at fault.
func New(p Profile, reg Registration) (*Student, error) {
	p = normalize(p)
	if err := validate(p, reg.At).Err(); err != nil {
		return nil, err
	}
	p.StudyPlace = locate(p.StudyPlace, StudyPlace{})
	return &Student{r: Record{
		ID:             reg.ID,
		ProgrammeID:    reg.ProgrammeID,
		Status:         StatusPendingVerification,
		Profile:        p,
		OwnerAccountID: reg.OwnerAccountID,
		RegisteredBy:   reg.RegisteredBy,
		Version:        1,
		CreatedAt:      reg.At,
		UpdatedAt:      reg.At,
	}}, nil
}

// FromRecord rebuilds a student read from storage.
func FromRecord(r Record) *Student { return &Student{r: r} }

// Record returns a copy of the student's state.
func (s *Student) Record() Record {
	r := s.r
	r.Profile.Languages = slices.Clone(r.Profile.Languages)
	r.Profile.ServicesOffered = slices.Clone(r.Profile.ServicesOffered)
	return r
}

// ID returns the student's id.
func (s *Student) ID() string { return s.r.ID }

// ProgrammeID returns the student's programme.
func (s *Student) ProgrammeID() string { return s.r.ProgrammeID }

// Status returns the student's status.
func (s *Student) Status() Status { return s.r.Status }

// OwnerAccountID returns the account that owns the student, or "" when a coordinator
// registered them.
func (s *Student) OwnerAccountID() string { return s.r.OwnerAccountID }

// Etag is the version the client must send back to change the student.
func (s *Student) Etag() string { return etag.Of(s.r.Version) }

// Version returns the student's version, which the etag renders.
func (s *Student) Version() int { return s.r.Version }

// AgeOn returns the student's age on day d.
func (s *Student) AgeOn(d date.Date) int { return s.r.Profile.BirthDate.YearsOn(d) }

// MaxAge is the age limit that applies given a programme's setting: the programme may lower
// the legal limit, and an unset (or higher) setting falls back to the law.
func MaxAge(programmeSetting int) int {
	if programmeSetting <= 0 {
		return LegalMaxAge
	}
	return min(programmeSetting, LegalMaxAge)
}

// UpdateProfile replaces the profile after checking it.
func (s *Student) UpdateProfile(p Profile, at time.Time) error {
	if s.r.Status == StatusArchived {
		return ErrArchived
	}
	p = normalize(p)
	if err := validate(p, at).Err(); err != nil {
		return err
	}
	p.StudyPlace = locate(p.StudyPlace, s.r.Profile.StudyPlace)
	s.r.Profile = p
	s.touch(at)
	return nil
}

// Verify records the coordinator's verification on day `at`. The student must be under
// MaxAge(maxAge) that day. Errors: ErrTransition, ErrTooOld.
func (s *Student) Verify(by string, maxAge int, at time.Time) error {
	if s.r.Status != StatusPendingVerification {
		return ErrTransition.WithMessage("only a student pending verification can be verified (this student is %s)", s.r.Status)
	}
	limit := MaxAge(maxAge)
	today := date.Of(at)
	if age := s.AgeOn(today); age >= limit {
		return ErrTooOld.WithMessage("the student is %d on %s; the programme requires students to be under %d", age, today, limit)
	}
	s.r.Status = StatusVerified
	s.r.VerifiedAt = at
	s.r.VerifiedBy = by
	s.touch(at)
	return nil
}

// Place marks a verified student as living with a host, once their contract is active.
func (s *Student) Place(at time.Time) error {
	return s.move(StatusVerified, StatusPlaced, at)
}

// Release ends a placement. A student who goes on looking (applies again) returns to
// VERIFIED; one who leaves the programme becomes ALUMNI.
func (s *Student) Release(alumni bool, at time.Time) error {
	to := StatusVerified
	if alumni {
		to = StatusAlumni
	}
	return s.move(StatusPlaced, to, at)
}

// Archive closes the record of a pending or verified student. An open application would
// stay in the matching pool for a student who is gone, so it must be withdrawn first.
func (s *Student) Archive(hasOpenApplication bool, at time.Time) error {
	if s.r.Status != StatusPendingVerification && s.r.Status != StatusVerified {
		return ErrTransition.WithMessage("only a pending or verified student can be archived (this student is %s)", s.r.Status)
	}
	if hasOpenApplication {
		return ErrOpenApplication
	}
	s.r.Status = StatusArchived
	s.touch(at)
	return nil
}

func (s *Student) move(from, to Status, at time.Time) error {
	if s.r.Status != from {
		return ErrTransition.WithMessage("a student must be %s for this change (this student is %s)", from, s.r.Status)
	}
	s.r.Status = to
	s.touch(at)
	return nil
}

// ErrClaimed: the student already has another owner account.
var ErrClaimed = errs.FailedPrecondition("STUDENT_CLAIMED", "another account already owns this student")

// Claim records that account accountID now owns the student, who accepted the coordinator's
// invitation: she then sees and changes her own record and signs her own contract. Claiming
// again with the same account changes nothing and reports false.
// Errors: ErrClaimed when another account owns the student.
func (s *Student) Claim(accountID string, at time.Time) (bool, error) {
	changed, err := person.Claim(s.r.OwnerAccountID, accountID, ErrClaimed)
	if changed {
		s.r.OwnerAccountID = accountID
		s.touch(at)
	}
	return changed, err
}

func (s *Student) touch(at time.Time) {
	s.r.Version++
	s.r.UpdatedAt = at
}

func normalize(p Profile) Profile {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	p.Phone = strings.TrimSpace(p.Phone)
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Institution = strings.TrimSpace(p.Institution)
	p.Studies = strings.TrimSpace(p.Studies)
	p.StudyPlace.City = strings.TrimSpace(p.StudyPlace.City)
	p.StudyPlace.Postcode = strings.TrimSpace(p.StudyPlace.Postcode)
	p.Motivation = strings.TrimSpace(p.Motivation)
	p.Languages = person.Languages(p.Languages)
	p.ServicesOffered = person.SortedSet(p.ServicesOffered)
	return p
}

func validate(p Profile, at time.Time) errs.Violations {
	var v errs.Violations
	person.CheckName(&v, p.DisplayName)
	// Younger than 15 is a typing error, not a student looking for a room.
	person.CheckBirthDate(&v, p.BirthDate, at, 15)
	person.CheckReach(&v, p.Phone, p.Email)
	v.Check(p.Phone != "" || p.Email != "", "email", "give an email address or a phone number, so the coordinator can reach the student")
	v.Check(utf8.RuneCountInString(p.Institution) <= 200, "institution", "must be at most 200 characters")
	v.Check(utf8.RuneCountInString(p.Studies) <= 200, "studies", "must be at most 200 characters")
	v.Check(p.StudyPlace.City != "", "studyPlace.city", "is required")
	v.Check(utf8.RuneCountInString(p.StudyPlace.City) <= 100, "studyPlace.city", "must be at most 100 characters")
	// Coordinates are optional (both 0: found from the city and postcode, see locate).
	v.Check(p.StudyPlace.Lat >= -90 && p.StudyPlace.Lat <= 90, "studyPlace.lat", "must be a latitude between -90 and 90")
	v.Check(p.StudyPlace.Lng >= -180 && p.StudyPlace.Lng <= 180, "studyPlace.lng", "must be a longitude between -180 and 180")
	v.Check(len(p.StudyPlace.Postcode) <= 10, "studyPlace.postcode", "is not a postcode")
	v.Check(p.MaxCommuteKm >= 1 && p.MaxCommuteKm <= 100, "maxCommuteKm", "must be between 1 and 100")
	person.CheckLanguages(&v, p.Languages)
	v.Check(p.Gender == "" || slices.Contains(person.Genders, p.Gender), "gender", "is not a known gender")
	person.CheckServices(&v, "servicesOffered", p.ServicesOffered)
	v.Check(p.HoursOfferedPerWeek >= 0 && p.HoursOfferedPerWeek <= 20, "hoursOfferedPerWeek", "must be between 0 and 20: services stay small")
	v.Check(p.NightsPresentPerWeek >= 0 && p.NightsPresentPerWeek <= 7, "nightsPresentPerWeek", "must be between 0 and 7")
	v.Check(p.Rhythm == "" || slices.Contains(person.Rhythms, p.Rhythm), "rhythm", "is not a known rhythm")
	v.Check(utf8.RuneCountInString(p.Motivation) <= MaxMotivation, "motivation", "must be at most %d characters", MaxMotivation)
	return v
}

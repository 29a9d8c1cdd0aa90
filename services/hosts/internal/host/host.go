// Package host is the domain of hosts: seniors who offer a room. It decides what a valid host
// is and which status changes are allowed; it does no I/O.
package host

import (
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/person"
)

// Status is where a host is in its lifecycle.
type Status string

// The host lifecycle of SPEC §2.
const (
	StatusPendingVerification Status = "PENDING_VERIFICATION"
	StatusVerified            Status = "VERIFIED"
	StatusSuspended           Status = "SUSPENDED"
	StatusArchived            Status = "ARCHIVED"
)

// LegalMinAge is the law's minimum age of a host (CCH art. L631-17); programmes may raise it.
const LegalMinAge = 60

// Address is where the host lives.
type Address struct {
	Line1    string
	Postcode string
	City     string
	// Lat and Lng place the home for commute distances; both 0 when unknown.
	Lat, Lng float64
	// Approximate: Lat and Lng were not given but found from Postcode and City (the centre
	// of the commune, see locate); set by the host, never by the caller.
	Approximate bool `json:",omitempty"`
}

// Profile is what a host or a coordinator tells about the host.
type Profile struct {
	DisplayName         string
	BirthDate           date.Date
	Phone               string
	Email               string
	Address             Address
	Languages           []string
	Smokes              bool
	HasPets             bool
	ServicesWanted      []string
	HoursWantedPerWeek  int
	NightsWantedPerWeek int
	Rhythm              string
	// GenderPreference is empty for no preference.
	GenderPreference string
	IsTenant         bool
	LandlordInformed bool
	// Guardianship is the legal protection measure the host is under: "" (none), or one of
	// Guardianships. A host under one has a LegalRepresentative, who is consulted and signs
	// with or for her (SPEC §2).
	Guardianship        string
	LegalRepresentative Representative
}

// Guardianships are the legal protection measures of SPEC §2, as the API names them without
// their prefix: under a tutelle the representative acts for the host, under a curatelle with
// her.
var Guardianships = []string{"TUTELLE", "CURATELLE"}

// Representative is the legal representative of a host under guardianship. Contact details:
// shown to the host and her coordinators only, never in events.
type Representative struct {
	Name         string
	Phone        string
	Email        string
	Relationship string
}

// Registration says who registers the host and how.
type Registration struct {
	ID          string
	ProgrammeID string
	// OwnerAccountID is the host's own account; empty for an assisted host.
	OwnerAccountID string
	// Assisted hosts are registered by a coordinator and have no account.
	Assisted        bool
	ConsentRecorded bool
	// ConsentNoticeVersion is the information notice's version the host was given.
	ConsentNoticeVersion string
	RegisteredBy         string
	At                   time.Time
}

// Record is a host's full state, for storage. Only this package changes it.
type Record struct {
	ID              string
	ProgrammeID     string
	Status          Status
	Profile         Profile
	OwnerAccountID  string
	Assisted        bool
	ConsentRecorded bool
	// ConsentNoticeVersion: see Registration; RegisteredBy and CreatedAt say who recorded
	// the consent and when.
	ConsentNoticeVersion string
	RegisteredBy         string
	VerifiedAt           time.Time
	VerifiedBy           string
	StatusReason         string
	Version              int
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// Host is a host whose invariants hold.
type Host struct{ r Record }

// maxNoticeVersion bounds the information notice's version ("2026-09", "v3").
const maxNoticeVersion = 40

// Errors of the host lifecycle.
var (
	ErrTooYoung   = errs.FailedPrecondition("HOST_TOO_YOUNG", "the host is younger than the programme's minimum age")
	ErrLandlord   = errs.FailedPrecondition("LANDLORD_NOT_INFORMED", "a host who rents their home must have informed the landlord before verification")
	ErrTransition = errs.FailedPrecondition("INVALID_TRANSITION", "this change is not allowed in the host's current status")
	ErrArchived   = errs.FailedPrecondition("HOST_ARCHIVED", "an archived host cannot be changed")
	// ErrStayUnderWay: a host with a room reserved or occupied cannot be archived.
	ErrStayUnderWay = errs.FailedPrecondition("HOST_STAY_UNDER_WAY", "the host has a stay agreed or under way")
)

// New registers a host in PENDING_VERIFICATION. It returns errs.Invalid with every field at
// fault.
func New(p Profile, reg Registration) (*Host, error) {
	p = normalize(p)
	v := validate(p, reg.At)
	if reg.Assisted {
		v.Check(reg.ConsentRecorded, "consentRecorded", "a host registered on their behalf must have given their consent")
		v.Check(p.Phone != "", "phone", "an assisted host needs a phone number: the coordinator calls them")
	}
	v.Check(len(reg.ConsentNoticeVersion) <= maxNoticeVersion, "consentNoticeVersion", "at most %d characters", maxNoticeVersion)
	if err := v.Err(); err != nil {
		return nil, err
	}
	p.Address = locate(p.Address, Address{})
	return &Host{r: Record{
		ID:                   reg.ID,
		ProgrammeID:          reg.ProgrammeID,
		Status:               StatusPendingVerification,
		Profile:              p,
		OwnerAccountID:       reg.OwnerAccountID,
		Assisted:             reg.Assisted,
		ConsentRecorded:      reg.ConsentRecorded,
		ConsentNoticeVersion: reg.ConsentNoticeVersion,
		RegisteredBy:         reg.RegisteredBy,
		Version:              1,
		CreatedAt:            reg.At,
		UpdatedAt:            reg.At,
	}}, nil
}

// FromRecord rebuilds a host read from storage.
func FromRecord(r Record) *Host { return &Host{r: r} }

// Record returns a copy of the host's state.
func (h *Host) Record() Record {
	r := h.r
	r.Profile.Languages = slices.Clone(r.Profile.Languages)
	r.Profile.ServicesWanted = slices.Clone(r.Profile.ServicesWanted)
	return r
}

// ID returns the host's id.
func (h *Host) ID() string { return h.r.ID }

// ProgrammeID returns the host's programme.
func (h *Host) ProgrammeID() string { return h.r.ProgrammeID }

// Status returns the host's status.
func (h *Host) Status() Status { return h.r.Status }

// OwnerAccountID returns the account that owns the host, or "" for an assisted host.
func (h *Host) OwnerAccountID() string { return h.r.OwnerAccountID }

// City returns the city of the host's address.
func (h *Host) City() string { return h.r.Profile.Address.City }

// Etag is the version the client must send back to change the host.
func (h *Host) Etag() string { return etag.Of(h.r.Version) }

// Version returns the host's version, which the etag renders.
func (h *Host) Version() int { return h.r.Version }

// AgeOn returns the host's age on day d.
func (h *Host) AgeOn(d date.Date) int { return h.r.Profile.BirthDate.YearsOn(d) }

// UpdateProfile replaces the profile after checking it.
func (h *Host) UpdateProfile(p Profile, at time.Time) error {
	if h.r.Status == StatusArchived {
		return ErrArchived
	}
	p = normalize(p)
	v := validate(p, at)
	if h.r.Assisted {
		v.Check(p.Phone != "", "phone", "an assisted host needs a phone number: the coordinator calls them")
	}
	if err := v.Err(); err != nil {
		return err
	}
	p.Address = locate(p.Address, h.r.Profile.Address)
	h.r.Profile = p
	h.touch(at)
	return nil
}

// Verify records the coordinator's verification on day `at`. The host must be at least
// minAge that day, and a tenant must have informed the landlord.
func (h *Host) Verify(by string, minAge int, at time.Time) error {
	if h.r.Status != StatusPendingVerification {
		return ErrTransition.WithMessage("only a host pending verification can be verified (this host is %s)", h.r.Status)
	}
	minAge = max(minAge, LegalMinAge)
	today := date.Of(at)
	if age := h.AgeOn(today); age < minAge {
		return ErrTooYoung.WithMessage("the host is %d on %s; the programme requires hosts to be at least %d", age, today, minAge)
	}
	if h.r.Profile.IsTenant && !h.r.Profile.LandlordInformed {
		return ErrLandlord
	}
	h.r.Status = StatusVerified
	h.r.VerifiedAt = at
	h.r.VerifiedBy = by
	h.touch(at)
	return nil
}

// Suspend takes a verified host out of matching.
func (h *Host) Suspend(reason string, at time.Time) error {
	if h.r.Status != StatusVerified {
		return ErrTransition.WithMessage("only a verified host can be suspended (this host is %s)", h.r.Status)
	}
	if strings.TrimSpace(reason) == "" {
		return errs.Invalid(errs.Violation{Field: "reason", Description: "say why the host is suspended"})
	}
	h.r.Status = StatusSuspended
	h.r.StatusReason = strings.TrimSpace(reason)
	h.touch(at)
	return nil
}

// Reinstate brings a suspended host back.
func (h *Host) Reinstate(at time.Time) error {
	if h.r.Status != StatusSuspended {
		return ErrTransition.WithMessage("only a suspended host can be reinstated (this host is %s)", h.r.Status)
	}
	h.r.Status = StatusVerified
	h.r.StatusReason = ""
	h.touch(at)
	return nil
}

// Archive closes a verified host's record; not while stays rooms of hers are reserved or
// occupied (the stay is ended or cancelled first: its contract goes on otherwise).
func (h *Host) Archive(stays int, at time.Time) error {
	if h.r.Status != StatusVerified {
		return ErrTransition.WithMessage("only a verified host can be archived (this host is %s)", h.r.Status)
	}
	if stays > 0 {
		return ErrStayUnderWay.WithMessage("the host has %d room(s) reserved or occupied: end or cancel the stay before archiving her", stays)
	}
	h.r.Status = StatusArchived
	h.touch(at)
	return nil
}

// ErrClaimed: the host already has another owner account.
var ErrClaimed = errs.FailedPrecondition("HOST_CLAIMED", "another account already owns this host")

// Claim records that account accountID now owns the host, who accepted the coordinator's
// invitation: she then sees and changes her own record. The record stays "assisted" (it says
// how the host was registered and that her consent was recorded). Claiming again with the
// same account changes nothing and reports false.
// Errors: ErrClaimed when another account owns the host.
func (h *Host) Claim(accountID string, at time.Time) (bool, error) {
	changed, err := person.Claim(h.r.OwnerAccountID, accountID, ErrClaimed)
	if changed {
		h.r.OwnerAccountID = accountID
		h.touch(at)
	}
	return changed, err
}

func (h *Host) touch(at time.Time) {
	h.r.Version++
	h.r.UpdatedAt = at
}

var postcodeRe = regexp.MustCompile(`^[0-9A-Za-z -]{3,10}$`)

func normalize(p Profile) Profile {
	p.DisplayName = strings.TrimSpace(p.DisplayName)
	p.Phone = strings.TrimSpace(p.Phone)
	p.Email = strings.ToLower(strings.TrimSpace(p.Email))
	p.Address.Line1 = strings.TrimSpace(p.Address.Line1)
	p.Address.Postcode = strings.TrimSpace(p.Address.Postcode)
	p.Address.City = strings.TrimSpace(p.Address.City)
	p.Languages = person.Languages(p.Languages)
	p.ServicesWanted = person.SortedSet(p.ServicesWanted)
	if p.Guardianship == "NONE" {
		p.Guardianship = ""
	}
	if p.Guardianship == "" {
		// No measure, no representative: a form that switches the measure off clears them.
		p.LegalRepresentative = Representative{}
	}
	r := &p.LegalRepresentative
	r.Name = strings.TrimSpace(r.Name)
	r.Phone = strings.TrimSpace(r.Phone)
	r.Email = strings.ToLower(strings.TrimSpace(r.Email))
	r.Relationship = strings.TrimSpace(r.Relationship)
	return p
}

// validateGuardianship: a host under guardianship has a legal representative recorded, whom
// the coordinator can reach.
func validateGuardianship(v *errs.Violations, p Profile) {
	if p.Guardianship == "" {
		return
	}
	if !slices.Contains(Guardianships, p.Guardianship) {
		v.Add("guardianship", "is not a known measure (tutelle or curatelle)")
		return
	}
	r := p.LegalRepresentative
	v.Check(r.Name != "", "legalRepresentative.name", "a host under guardianship has a legal representative: give their name")
	v.Check(utf8.RuneCountInString(r.Name) <= 100, "legalRepresentative.name", "must be at most 100 characters")
	v.Check(r.Relationship != "", "legalRepresentative.relationship", "say who the representative is to the host (e.g. daughter, judicial representative)")
	v.Check(utf8.RuneCountInString(r.Relationship) <= 100, "legalRepresentative.relationship", "must be at most 100 characters")
	if r.Phone != "" {
		v.Check(person.ValidPhone(r.Phone), "legalRepresentative.phone", "is not a phone number")
	}
	if r.Email != "" {
		a, err := mail.ParseAddress(r.Email)
		v.Check(err == nil && a.Address == r.Email, "legalRepresentative.email", "is not an email address")
	}
	v.Check(r.Phone != "" || r.Email != "", "legalRepresentative.phone", "give the representative's phone number or email address: they are consulted and sign")
}

func validate(p Profile, at time.Time) errs.Violations {
	var v errs.Violations
	person.CheckName(&v, p.DisplayName)
	person.CheckBirthDate(&v, p.BirthDate, at, 0)
	person.CheckReach(&v, p.Phone, p.Email)
	v.Check(p.Phone != "" || p.Email != "", "phone", "give a phone number or an email address, so the coordinator can reach the host")
	v.Check(p.Address.Line1 != "", "address.line1", "is required")
	v.Check(postcodeRe.MatchString(p.Address.Postcode), "address.postcode", "is not a postcode")
	v.Check(p.Address.City != "", "address.city", "is required")
	// Coordinates are optional (both 0: found from the postcode and city, see locate).
	v.Check(p.Address.Lat >= -90 && p.Address.Lat <= 90, "address.lat", "must be a latitude between -90 and 90")
	v.Check(p.Address.Lng >= -180 && p.Address.Lng <= 180, "address.lng", "must be a longitude between -180 and 180")
	person.CheckLanguages(&v, p.Languages)
	person.CheckServices(&v, "servicesWanted", p.ServicesWanted)
	v.Check(p.HoursWantedPerWeek >= 0 && p.HoursWantedPerWeek <= 20, "hoursWantedPerWeek", "must be between 0 and 20: services stay small")
	v.Check(p.NightsWantedPerWeek >= 0 && p.NightsWantedPerWeek <= 7, "nightsWantedPerWeek", "must be between 0 and 7")
	v.Check(p.Rhythm == "" || slices.Contains(person.Rhythms, p.Rhythm), "rhythm", "is not a known rhythm")
	v.Check(p.GenderPreference == "" || slices.Contains(person.Genders, p.GenderPreference), "genderPreference", "is not a known gender")
	validateGuardianship(&v, p)
	return v
}

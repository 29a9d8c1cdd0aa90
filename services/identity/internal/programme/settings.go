package programme

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// The legal frame (CCH art. L631-17, charter of 13 January 2020). A programme may tighten these
// bounds, never loosen them.
const (
	// LegalHostMinAge is the youngest a host may be.
	LegalHostMinAge = 60
	// LegalStudentMaxAge is the age a student must be under.
	LegalStudentMaxAge = 30
	// LegalNoticeDays is the legal month of notice either party gives.
	LegalNoticeDays = 30
)

// Bounds that are not the law's but keep settings meaningful: beyond them a value is a typo,
// not a policy.
const (
	maxAge           = 120
	minStudentMaxAge = 16
	maxDays          = 366
	// Ten years: no programme needs a person's data longer than that (SPEC §9).
	maxRetentionMonths = 120
	maxCheckins        = 12
	maxFormulas        = 20
	maxEveningsPerWeek = 7
	// Services stay small and non-professional: beyond this a stay becomes a job.
	maxHoursPerWeek = 20
	maxNameLen      = 200
)

// Formula is one offer of a programme: a contribution range against presence and services.
type Formula struct {
	ID                   string
	Name                 string
	MinContributionCents int
	MaxContributionCents int
	EveningsPerWeek      int
	HoursPerWeek         int
}

// Settings are the legal defaults as tightened by a programme. A Settings value is only trusted
// once a Programme has accepted it (New, Update), which validates it.
type Settings struct {
	HostMinAge           int
	StudentMaxAge        int
	ContributionCapCents int
	NoticeDays           int
	TrialDays            int
	TrialNoticeDays      int
	CheckinFirstDays     []int
	CheckinIntervalDays  int
	CheckinGraceDays     int
	ProposalExpiryDays   int
	Formulas             []Formula
	// Association is the programme's legal identity, which its contracts print.
	Association Association
	// The documents required of each side (DocumentKind names less their prefix: IDENTITY,
	// HOME_INSURANCE…); the desk asks for them at registration (SPEC §6).
	HostRequiredDocuments    []string
	StudentRequiredDocuments []string
	// Documents expiring within this many days show on the agenda.
	DocumentWarningDays int
	// A host or student archived, or with no activity, this many months is erased (SPEC §9).
	RetentionMonths int
}

// Association is the legal identity of the association that runs a programme: its contracts
// name it as the third signatory. Every field is optional (a contract then leaves a blank).
type Association struct {
	LegalName           string
	Registration        string
	AddressLine1        string
	Postcode            string
	City                string
	RepresentativeName  string
	RepresentativeTitle string
	Phone               string
	Email               string
}

func (a Association) normalised() Association {
	for _, f := range []*string{&a.LegalName, &a.Registration, &a.AddressLine1, &a.Postcode, &a.City, &a.RepresentativeName, &a.RepresentativeTitle, &a.Phone} {
		*f = strings.TrimSpace(*f)
	}
	a.Email = strings.ToLower(strings.TrimSpace(a.Email))
	return a
}

// validate records what is wrong with a under "settings.association.…".
func (a Association) validate(v *errs.Violations) {
	const p = "settings.association."
	for _, f := range []struct{ name, value string }{
		{"legalName", a.LegalName}, {"registration", a.Registration}, {"addressLine1", a.AddressLine1}, {"city", a.City},
		{"representativeName", a.RepresentativeName}, {"representativeTitle", a.RepresentativeTitle},
	} {
		v.Check(utf8.RuneCountInString(f.value) <= maxNameLen, p+f.name, "at most %d characters", maxNameLen)
	}
	v.Check(a.Postcode == "" || postcodeRE.MatchString(a.Postcode), p+"postcode", "is not a postcode")
	v.Check(a.Phone == "" || phoneRE.MatchString(a.Phone), p+"phone", "is not a phone number")
	if a.Email != "" {
		m, err := mail.ParseAddress(a.Email)
		v.Check(err == nil && m.Address == a.Email && len(a.Email) <= 254, p+"email", "is not an email address")
	}
}

var postcodeRE = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z -]{1,9}$`)

// DefaultSettings returns the legal frame with the three formulas most programmes offer.
func DefaultSettings() Settings {
	return Settings{
		HostMinAge:           LegalHostMinAge,
		StudentMaxAge:        LegalStudentMaxAge,
		ContributionCapCents: 35000,
		NoticeDays:           LegalNoticeDays,
		TrialDays:            30,
		TrialNoticeDays:      15,
		CheckinFirstDays:     []int{7, 30},
		CheckinIntervalDays:  90,
		CheckinGraceDays:     7,
		ProposalExpiryDays:   14,
		Formulas:             DefaultFormulas(),
		// SPEC §6; the landlord's notice of a tenant host is the law's, added by the desk.
		HostRequiredDocuments:    []string{"IDENTITY", "HOME_INSURANCE"},
		StudentRequiredDocuments: []string{"IDENTITY", "PROOF_OF_SITUATION", "LIABILITY_INSURANCE"},
		DocumentWarningDays:      30,
		RetentionMonths:          24,
	}
}

// DefaultFormulas returns the three usual offers, with ids stable across programmes so that
// rooms and contracts can name them.
func DefaultFormulas() []Formula {
	return []Formula{
		{ID: "solidaire", Name: "Chambre gratuite contre présence la plupart des soirs", MinContributionCents: 0, MaxContributionCents: 0, EveningsPerWeek: 5, HoursPerWeek: 2},
		{ID: "conviviale", Name: "Participation modeste et quelques soirées", MinContributionCents: 5000, MaxContributionCents: 20000, EveningsPerWeek: 2, HoursPerWeek: 3},
		{ID: "independante", Name: "Participation plus élevée, sans engagement de présence", MinContributionCents: 20000, MaxContributionCents: 35000, EveningsPerWeek: 0, HoursPerWeek: 2},
	}
}

// WithDefaults returns s where every zero value takes the legal default. Used at creation,
// where the API cannot tell an unset number from a zero; an update names its fields instead.
func (s Settings) WithDefaults() Settings {
	d := DefaultSettings()
	pick := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	pick(&s.HostMinAge, d.HostMinAge)
	pick(&s.StudentMaxAge, d.StudentMaxAge)
	pick(&s.ContributionCapCents, d.ContributionCapCents)
	pick(&s.NoticeDays, d.NoticeDays)
	pick(&s.TrialDays, d.TrialDays)
	pick(&s.TrialNoticeDays, d.TrialNoticeDays)
	pick(&s.CheckinIntervalDays, d.CheckinIntervalDays)
	pick(&s.CheckinGraceDays, d.CheckinGraceDays)
	pick(&s.ProposalExpiryDays, d.ProposalExpiryDays)
	if len(s.CheckinFirstDays) == 0 {
		s.CheckinFirstDays = d.CheckinFirstDays
	}
	if len(s.Formulas) == 0 {
		s.Formulas = d.Formulas
	}
	pick(&s.DocumentWarningDays, d.DocumentWarningDays)
	pick(&s.RetentionMonths, d.RetentionMonths)
	if len(s.HostRequiredDocuments) == 0 {
		s.HostRequiredDocuments = d.HostRequiredDocuments
	}
	if len(s.StudentRequiredDocuments) == 0 {
		s.StudentRequiredDocuments = d.StudentRequiredDocuments
	}
	return s
}

func (s Settings) clone() Settings {
	s.CheckinFirstDays = slices.Clone(s.CheckinFirstDays)
	s.Formulas = slices.Clone(s.Formulas)
	s.HostRequiredDocuments = slices.Clone(s.HostRequiredDocuments)
	s.StudentRequiredDocuments = slices.Clone(s.StudentRequiredDocuments)
	return s
}

var formulaIDRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// validate records every way s loosens the law or makes no sense, under "settings.…".
func (s Settings) validate(v *errs.Violations) {
	const p = "settings."
	v.Check(s.HostMinAge >= LegalHostMinAge, p+"hostMinAge", "must be at least %d (the law's minimum)", LegalHostMinAge)
	v.Check(s.HostMinAge <= maxAge, p+"hostMinAge", "must be at most %d", maxAge)
	v.Check(s.StudentMaxAge <= LegalStudentMaxAge, p+"studentMaxAge", "must be at most %d (the law's maximum)", LegalStudentMaxAge)
	v.Check(s.StudentMaxAge >= minStudentMaxAge, p+"studentMaxAge", "must be at least %d", minStudentMaxAge)
	v.Check(s.ContributionCapCents > 0, p+"contributionCapCents", "must be positive")
	v.Check(s.NoticeDays >= LegalNoticeDays, p+"noticeDays", "must be at least %d days (the legal month)", LegalNoticeDays)
	v.Check(s.NoticeDays <= maxDays, p+"noticeDays", "must be at most %d days", maxDays)
	v.Check(s.TrialDays >= 0 && s.TrialDays <= maxDays, p+"trialDays", "must be between 0 and %d days", maxDays)
	v.Check(s.TrialNoticeDays >= 0, p+"trialNoticeDays", "must not be negative")
	v.Check(s.TrialNoticeDays <= s.NoticeDays, p+"trialNoticeDays", "must not exceed the notice period (%d days)", s.NoticeDays)
	v.Check(len(s.CheckinFirstDays) <= maxCheckins, p+"checkinFirstDays", "at most %d first check-ins", maxCheckins)
	for i, d := range s.CheckinFirstDays {
		f := fmt.Sprintf("%scheckinFirstDays[%d]", p, i)
		v.Check(d >= 1 && d <= maxDays, f, "must be between 1 and %d days", maxDays)
		if i > 0 {
			v.Check(d > s.CheckinFirstDays[i-1], f, "must come after the previous check-in")
		}
	}
	// The association follows the pair throughout: check-ins never stop.
	v.Check(s.CheckinIntervalDays >= 1 && s.CheckinIntervalDays <= maxDays, p+"checkinIntervalDays", "must be between 1 and %d days", maxDays)
	v.Check(s.CheckinGraceDays >= 0 && s.CheckinGraceDays <= maxDays, p+"checkinGraceDays", "must be between 0 and %d days", maxDays)
	v.Check(s.ProposalExpiryDays >= 1 && s.ProposalExpiryDays <= maxDays, p+"proposalExpiryDays", "must be between 1 and %d days", maxDays)

	s.Association.validate(v)
	validateDocuments(v, p+"hostRequiredDocuments", s.HostRequiredDocuments)
	validateDocuments(v, p+"studentRequiredDocuments", s.StudentRequiredDocuments)
	v.Check(s.DocumentWarningDays >= 0 && s.DocumentWarningDays <= maxDays, p+"documentWarningDays", "must be between 0 and %d days", maxDays)
	v.Check(s.RetentionMonths >= 1 && s.RetentionMonths <= maxRetentionMonths, p+"retentionMonths", "must be between 1 and %d months", maxRetentionMonths)
	v.Check(len(s.Formulas) >= 1, p+"formulas", "a programme offers at least one formula")
	v.Check(len(s.Formulas) <= maxFormulas, p+"formulas", "at most %d formulas", maxFormulas)
	seen := map[string]bool{}
	for i, f := range s.Formulas {
		fp := fmt.Sprintf("%sformulas[%d].", p, i)
		if !formulaIDRE.MatchString(f.ID) {
			v.Add(fp+"id", "must be 1 to 40 lower-case letters, digits or dashes")
		} else if seen[f.ID] {
			v.Add(fp+"id", "%q is used by another formula", f.ID)
		}
		seen[f.ID] = true
		v.Check(f.Name != "" && len(f.Name) <= maxNameLen, fp+"name", "is required (at most %d characters)", maxNameLen)
		v.Check(f.MinContributionCents >= 0, fp+"minContributionCents", "must not be negative")
		v.Check(f.MaxContributionCents >= f.MinContributionCents, fp+"maxContributionCents", "must not be below the minimum")
		v.Check(f.MaxContributionCents <= s.ContributionCapCents, fp+"maxContributionCents", "must not exceed the programme's cap (%d cents)", s.ContributionCapCents)
		v.Check(f.EveningsPerWeek >= 0 && f.EveningsPerWeek <= maxEveningsPerWeek, fp+"eveningsPerWeek", "must be between 0 and %d", maxEveningsPerWeek)
		v.Check(f.HoursPerWeek >= 0 && f.HoursPerWeek <= maxHoursPerWeek, fp+"hoursPerWeek", "must be between 0 and %d: services stay small and non-professional", maxHoursPerWeek)
	}
}

// DocumentKinds are the kinds of document a programme may require (cohabit.type.v1.DocumentKind).
var DocumentKinds = []string{"IDENTITY", "PROOF_OF_SITUATION", "HOME_INSURANCE", "LIABILITY_INSURANCE", "LANDLORD_NOTICE", "REFERENCE", "OTHER"}

func validateDocuments(v *errs.Violations, field string, kinds []string) {
	seen := map[string]bool{}
	for i, k := range kinds {
		f := fmt.Sprintf("%s[%d]", field, i)
		v.Check(slices.Contains(DocumentKinds, k), f, "is not a document kind")
		v.Check(!seen[k], f, "%s is listed twice", k)
		seen[k] = true
	}
}

// Package person holds what the two services that keep a record of a person (hosts: the
// senior; students: the student) share about her, and nothing of either's domain: the
// catalogue her profile picks from, the checks of her name, birth date and ways to reach her,
// and how she comes to own a record a coordinator registered for her (SPEC §2): the claim,
// when she accepts the coordinator's invitation, and the refusal of a second registration of
// her own meanwhile.
//
// Why here and not in each service: the rules are one rule of the programme, not two that
// happen to agree — a person registered on her behalf claims her record the same way whether
// she hosts or studies, and a profile names the same services, rhythms and genders on both
// sides of a match (matching compares them).
package person

import (
	"context"
	"net/mail"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

// Services of the platform's catalogue, rhythms and genders, as the API names them without
// their prefix.
var (
	Services = []string{"COMPANY", "SHOPPING", "MEALS", "DIGITAL_HELP", "ERRANDS", "GARDENING", "SMALL_REPAIRS"}
	Rhythms  = []string{"EARLY", "LATE", "FLEXIBLE"}
	Genders  = []string{"FEMALE", "MALE", "OTHER"}
)

var (
	languageRe = regexp.MustCompile(`^[a-z]{2}$`)
	phoneRe    = regexp.MustCompile(`^\+?[0-9 .()-]{6,20}$`)
)

// Languages returns language codes as a profile keeps them: trimmed, lower case, each once,
// in the order given.
func Languages(codes []string) []string {
	langs := make([]string, 0, len(codes))
	for _, l := range codes {
		l = strings.ToLower(strings.TrimSpace(l))
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	return langs
}

// SortedSet returns a copy of items sorted, each once (services a profile offers or wants).
func SortedSet(items []string) []string {
	s := slices.Clone(items)
	slices.Sort(s)
	return slices.Compact(s)
}

// CheckName records in v what is wrong with a display name.
func CheckName(v *errs.Violations, name string) {
	v.Check(name != "", "displayName", "is required")
	v.Check(utf8.RuneCountInString(name) <= 100, "displayName", "must be at most 100 characters")
}

// CheckBirthDate records in v what is wrong with a birth date on day at: missing, not in the
// past, or implausible (younger than minYears — a typing error, not a person of the
// programme — or older than 120).
func CheckBirthDate(v *errs.Violations, birth date.Date, at time.Time, minYears int) {
	today := date.Of(at)
	switch {
	case birth.IsZero():
		v.Add("birthDate", "is required (YYYY-MM-DD)")
	case !birth.Before(today):
		v.Add("birthDate", "must be in the past")
	case birth.YearsOn(today) < minYears || birth.YearsOn(today) > 120:
		v.Add("birthDate", "is not plausible")
	}
}

// CheckReach records in v what is wrong with a phone number and an email address, both
// optional, of which the coordinator needs at least one.
func CheckReach(v *errs.Violations, phone, email string) {
	if phone != "" {
		v.Check(phoneRe.MatchString(phone), "phone", "is not a phone number")
	}
	if email != "" {
		a, err := mail.ParseAddress(email)
		v.Check(err == nil && a.Address == email, "email", "is not an email address")
	}
}

// ValidPhone says whether s is a phone number (a legal representative's, say).
func ValidPhone(s string) bool { return phoneRe.MatchString(s) }

// CheckLanguages records in v every code that is not a two-letter language code.
func CheckLanguages(v *errs.Violations, codes []string) {
	for i, l := range codes {
		v.Check(languageRe.MatchString(l), "languages", "item %d: %q is not a two-letter language code (ISO 639-1)", i, l)
	}
}

// CheckServices records in v, under field, every service not in the catalogue.
func CheckServices(v *errs.Violations, field string, services []string) {
	for _, s := range services {
		v.Check(slices.Contains(Services, s), field, "%q is not in the platform's catalogue", s)
	}
}

// Claim decides whether account accountID comes to own a record whose owner is owner, when
// the person accepted the coordinator's invitation: true when it does (the record then
// changes), false when it owns it already (claiming twice changes nothing). Errors: claimed
// (the record's own sentinel) when another account owns it.
func Claim(owner, accountID string, claimed error) (bool, error) {
	switch owner {
	case accountID:
		return false, nil
	case "":
		return true, nil
	default:
		return false, claimed
	}
}

// Claimable is a record a person may claim (a host, a student).
type Claimable interface {
	ProgrammeID() string
	Claim(accountID string, at time.Time) (bool, error)
}

// ClaimInvited applies an accepted invitation to r, a kind ("host", "student") of record:
// accountID claims it, at at, provided the invitation was of r's programme. It says whether r
// changed. Errors: FailedPrecondition (OTHER_PROGRAMME, or r's claimed error).
func ClaimInvited(r Claimable, kind, accountID, programmeID string, at time.Time) (bool, error) {
	if r.ProgrammeID() != programmeID {
		return false, errs.FailedPrecondition("OTHER_PROGRAMME", "the invitation's programme is not the %s's", kind)
	}
	return r.Claim(accountID, at)
}

// ErrInvitationRequired refuses a person's own registration when the programme's coordinator
// already registered her (a host or a student with the same email) and she has no account
// yet: a second record would split her file (documents, notes, stay) in two. Linking the new
// account to the existing record instead would hand the record to whoever typed her email —
// emails are not verified at sign-up — so she claims it with the invitation, whose code
// reaches only her mailbox. The message says no more than a second registration needs the
// coordinator: it names no record and no person, and is given only to a signed-in account of
// that programme.
var ErrInvitationRequired = errs.FailedPrecondition("INVITATION_REQUIRED",
	"your programme's coordinator must invite you to finish your registration: ask them to send you an invitation, then sign up with its link")

// Unclaimed tells whether programmeID has a record registered by a coordinator, not archived
// and owned by no account yet, whose email is email (normalised).
type Unclaimed func(ctx context.Context, programmeID, email string) (bool, error)

// RefuseSecondRegistration is the guard of ErrInvitationRequired, for a person registering
// herself with email in programmeID.
func RefuseSecondRegistration(ctx context.Context, unclaimed Unclaimed, programmeID, email string) error {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return nil
	}
	found, err := unclaimed(ctx, programmeID, email)
	if err != nil {
		return err
	}
	if found {
		return ErrInvitationRequired
	}
	return nil
}

// ServicesFromProto names the services of a request as a profile keeps them (the catalogue's
// names), recording under field a violation for each SERVICE_UNSPECIFIED.
func ServicesFromProto(v *errs.Violations, field string, services []typev1.Service) []string {
	names := make([]string, 0, len(services))
	for _, s := range services {
		n := protoenum.Name(s, typev1.Service_name, "SERVICE_")
		if n == "" {
			v.Add(field, "SERVICE_UNSPECIFIED is not a service")
			continue
		}
		names = append(names, n)
	}
	return names
}

// ServicesToProto is the proto enum of each service a profile names, for its API and events.
func ServicesToProto(names []string) []typev1.Service {
	out := make([]typev1.Service, 0, len(names))
	for _, n := range names {
		out = append(out, typev1.Service(typev1.Service_value["SERVICE_"+strings.ToUpper(n)]))
	}
	return out
}

// Owned is a person's record as the access rules read it.
type Owned interface {
	ProgrammeID() string
	OwnerAccountID() string
}

// MayManage says whether p may see and change r, a record of role's people (a host's, a
// student's): the person's own account, signed in with that role, or a coordinator of the
// record's programme.
func MayManage(p auth.Principal, role auth.Role, r Owned) bool {
	if p.CoordinatesProgramme(r.ProgrammeID()) {
		return true
	}
	return p.Role == role && r.OwnerAccountID() != "" && r.OwnerAccountID() == p.AccountID
}

// ListScope narrows a list of role's records (people names them: "hosts") to what p may see:
// her programme's for a coordinator, her own for a person of role. Errors: PermissionDenied
// (ROLE_NOT_ALLOWED) for any other caller.
func ListScope(p auth.Principal, role auth.Role, people string) (programmeID, ownerAccountID string, err error) {
	switch p.Role {
	case auth.RoleCoordinator:
		return p.ProgrammeID, "", nil
	case role:
		return "", p.AccountID, nil
	default:
		return "", "", errs.PermissionDenied("ROLE_NOT_ALLOWED", "your role may not list %s", people)
	}
}

// Read returns the record id of role's people that load reads, when its caller may see it:
// the person's own account or a coordinator of its programme (MayManage), or a service — a
// service reads a person to write to her or to print her contract (SPEC §1: services call
// each other only to read); it changes nothing, so no record rule narrows it. Errors:
// notFound (also for a record out of reach, whose existence is not told), load's.
func Read[T Owned](ctx context.Context, role auth.Role, id string, load func(context.Context, string) (T, error), notFound error) (T, error) {
	var zero T
	p, err := auth.Required(ctx)
	if err != nil {
		return zero, err
	}
	r, err := load(ctx, id)
	if err != nil {
		return zero, err
	}
	if p.Role != auth.RoleService && !MayManage(p, role, r) {
		return zero, notFound
	}
	return r, nil
}

// Listing is one page of a list of people's records as the store reads it: whose records
// (ListScope), with which words, after which id, how many.
type Listing struct {
	ProgrammeID, OwnerAccountID string
	Query, After                string
	Limit                       int
}

// List lists a page of role's records (people names them) for its caller, who sees only
// what ListScope gives her: it checks the page and the query, reads with read, and returns
// the page with the token of the next (page.Next, id naming a record). Errors:
// Unauthenticated, InvalidArgument (page, query), PermissionDenied (ROLE_NOT_ALLOWED), read's.
func List[T any](ctx context.Context, role auth.Role, people, query string, req page.Request, read func(context.Context, Listing) ([]T, error), id func(T) string) ([]T, string, error) {
	p, err := auth.Required(ctx)
	if err != nil {
		return nil, "", err
	}
	after, limit, err := req.Bounds()
	if err != nil {
		return nil, "", err
	}
	if err := page.CheckQuery(query); err != nil {
		return nil, "", err
	}
	programmeID, owner, err := ListScope(p, role, people)
	if err != nil {
		return nil, "", err
	}
	items, err := read(ctx, Listing{ProgrammeID: programmeID, OwnerAccountID: owner, Query: query, After: after, Limit: limit})
	if err != nil {
		return nil, "", err
	}
	return items, page.Next(items, limit, id), nil
}

// Package account holds the people who sign in: their email, password hash, role, programme and
// the host or student record they own; and the rules that slow down password guessing.
package account

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Sentinel errors; they carry their kind for the API.
var (
	// ErrNotFound: no account has that id or email.
	ErrNotFound = errs.NotFound("ACCOUNT_NOT_FOUND", "account not found")
	// ErrEmailTaken says no more than that the email is in use: not whose, nor in which role.
	ErrEmailTaken = errs.AlreadyExists("EMAIL_TAKEN", "an account already uses this email: sign in instead")
	// ErrBadCredentials is the one answer to a wrong email or a wrong password, so that a
	// caller cannot tell which accounts exist.
	ErrBadCredentials = errs.Unauthenticated("BAD_CREDENTIALS", "email or password is wrong")
	// ErrTooManyAttempts: the email is locked out after repeated failures.
	ErrTooManyAttempts = errs.ResourceExhausted("TOO_MANY_ATTEMPTS", "too many failed sign-ins: try again later")
	// ErrWrongRole: the record does not fit the account's role (a student account cannot own a
	// host record).
	ErrWrongRole = errs.FailedPrecondition("WRONG_ROLE", "the account's role cannot own this record")
	// ErrAlreadyLinked: the account already owns another record of that kind.
	ErrAlreadyLinked = errs.FailedPrecondition("ALREADY_LINKED", "the account already owns another record of this kind")
	// ErrOtherProgramme: the record belongs to another programme than the account; programmes'
	// data never mix.
	ErrOtherProgramme = errs.FailedPrecondition("OTHER_PROGRAMME", "the record belongs to another programme than the account")
)

// Password bounds. The upper one keeps hashing cost bounded for a hostile caller.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 128
	maxEmailLen    = 254
)

// NormaliseEmail is how emails are compared and stored: trimmed and lower-cased.
func NormaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// ValidEmail reports whether email (normalised) is a bare address.
func ValidEmail(email string) bool {
	if email == "" || len(email) > maxEmailLen {
		return false
	}
	a, err := mail.ParseAddress(email)
	return err == nil && a.Address == email && a.Name == ""
}

// CheckPassword returns errs.Invalid on "password" when pw breaks the length rules.
func CheckPassword(pw string) error {
	var v errs.Violations
	checkPassword(&v, pw)
	return v.Err()
}

func checkPassword(v *errs.Violations, pw string) {
	n := utf8.RuneCountInString(pw)
	v.Check(n >= MinPasswordLen, "password", "must be at least %d characters", MinPasswordLen)
	v.Check(n <= MaxPasswordLen, "password", "must be at most %d characters", MaxPasswordLen)
}

// Hasher turns a password into a self-describing hash (salt and cost included).
type Hasher interface {
	Hash(password string) (string, error)
}

// Draft is what a new account is made from.
type Draft struct {
	ID          string
	Email       string
	Password    string
	Role        auth.Role
	ProgrammeID string
}

// Account is a person who can sign in. Its zero value is not usable: get one from Signup,
// Create or Restore.
type Account struct {
	id           string
	email        string
	passwordHash string
	role         auth.Role
	programmeID  string
	hostID       string
	studentID    string
	version      int64
	createTime   time.Time
	updateTime   time.Time
}

// Signup makes the account a host or student opens for themselves in a programme.
// Errors: errs.Invalid naming every bad field; the hasher's error.
func Signup(d Draft, h Hasher, now time.Time) (*Account, error) {
	return newAccount(d, []auth.Role{auth.RoleHost, auth.RoleStudent}, "a host or a student signs up; staff accounts are made by an admin", h, now)
}

// Create makes a staff account, as an admin does: a coordinator of one programme, or another
// admin, who serves the whole network and so has no programme.
// Errors: errs.Invalid naming every bad field; the hasher's error.
func Create(d Draft, h Hasher, now time.Time) (*Account, error) {
	return newAccount(d, []auth.Role{auth.RoleCoordinator, auth.RoleAdmin}, "must be a coordinator or an admin; hosts and students sign up themselves", h, now)
}

func newAccount(d Draft, roles []auth.Role, roleRule string, h Hasher, now time.Time) (*Account, error) {
	var v errs.Violations
	email := NormaliseEmail(d.Email)
	v.Check(ValidEmail(email), "email", "is not an email address")
	checkPassword(&v, d.Password)
	roleOK := false
	for _, r := range roles {
		roleOK = roleOK || d.Role == r
	}
	switch {
	case d.Role == "":
		v.Add("role", "is required")
	case !roleOK:
		v.Add("role", "%s", roleRule)
	}
	programmeID := strings.TrimSpace(d.ProgrammeID)
	if roleOK {
		if d.Role == auth.RoleAdmin {
			v.Check(programmeID == "", "programmeId", "an admin serves the whole network and belongs to no programme")
		} else {
			v.Check(programmeID != "", "programmeId", "is required")
		}
	}
	v.Check(d.ID != "", "id", "is required")
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := h.Hash(d.Password)
	if err != nil {
		return nil, err
	}
	now = instant(now)
	return &Account{
		id: d.ID, email: email, passwordHash: hash, role: d.Role, programmeID: programmeID,
		version: 1, createTime: now, updateTime: now,
	}, nil
}

// Claim makes the account of a person who signs up with an invitation: a host or student
// account that owns, from its first version, record recordID of kind k in programme
// programmeID — the record a coordinator created for them. Role and programme are the
// record's; d's are ignored.
// Errors: errs.Invalid naming every bad field; the hasher's error.
func Claim(d Draft, k RecordKind, recordID, programmeID string, h Hasher, now time.Time) (*Account, error) {
	d.Role, d.ProgrammeID = k.ownerRole(), programmeID
	if d.Role == "" || recordID == "" {
		return nil, errs.Invalid(errs.Violation{Field: "inviteCode", Description: "the invitation names no record"})
	}
	a, err := Signup(d, h, now)
	if err != nil {
		return nil, err
	}
	if k == RecordHost {
		a.hostID = recordID
	} else {
		a.studentID = recordID
	}
	return a, nil
}

// RecordKind is a kind of record an account may own.
type RecordKind string

// The records a self-service account owns once created in their own service.
const (
	RecordHost    RecordKind = "host"
	RecordStudent RecordKind = "student"
)

// ownerRole is the role an account needs to own a record of kind k.
func (k RecordKind) ownerRole() auth.Role {
	switch k {
	case RecordHost:
		return auth.RoleHost
	case RecordStudent:
		return auth.RoleStudent
	}
	return ""
}

// Link records that the account owns record id of kind k, which belongs to programme
// programmeID. Linking the same record again changes nothing and reports changed=false, so a
// redelivered event is harmless.
// Errors: ErrWrongRole, ErrOtherProgramme, ErrAlreadyLinked (FailedPrecondition); errs.Invalid
// for an empty id or an unknown kind.
func (a *Account) Link(k RecordKind, id, programmeID string, now time.Time) (changed bool, err error) {
	var slot *string
	switch k {
	case RecordHost:
		slot = &a.hostID
	case RecordStudent:
		slot = &a.studentID
	default:
		return false, errs.Invalid(errs.Violation{Field: "kind", Description: "unknown record kind " + strconv.Quote(string(k))})
	}
	if id == "" {
		return false, errs.Invalid(errs.Violation{Field: string(k) + "Id", Description: "is required"})
	}
	if a.role != k.ownerRole() {
		return false, ErrWrongRole.WithMessage("a %s account cannot own a %s record", a.role, k)
	}
	if programmeID != a.programmeID {
		return false, ErrOtherProgramme
	}
	switch *slot {
	case id:
		return false, nil
	case "":
	default:
		return false, ErrAlreadyLinked.WithMessage("the account already owns %s %s", k, *slot)
	}
	*slot = id
	a.touch(now)
	return true, nil
}

// SetPasswordHash replaces the hash, e.g. to move an old hash to the current cost.
func (a *Account) SetPasswordHash(hash string, now time.Time) {
	a.passwordHash = hash
	a.touch(now)
}

func (a *Account) touch(now time.Time) {
	a.version++
	a.updateTime = instant(now)
}

// ID returns the account's id.
func (a *Account) ID() string { return a.id }

// Email returns the normalised email.
func (a *Account) Email() string { return a.email }

// Role returns what the account may do.
func (a *Account) Role() auth.Role { return a.role }

// ProgrammeID is empty for an admin.
func (a *Account) ProgrammeID() string { return a.programmeID }

// HostID is the host record the account owns, if any.
func (a *Account) HostID() string { return a.hostID }

// StudentID is the student record the account owns, if any.
func (a *Account) StudentID() string { return a.studentID }

// PasswordHash returns the stored hash.
func (a *Account) PasswordHash() string { return a.passwordHash }

// Version counts the account's changes; it starts at 1.
func (a *Account) Version() int64 { return a.version }

// Etag identifies this version.
func (a *Account) Etag() string { return etag.Of(int(a.version)) }

// CreateTime returns when the account was created.
func (a *Account) CreateTime() time.Time { return a.createTime }

// UpdateTime returns when the account last changed.
func (a *Account) UpdateTime() time.Time { return a.updateTime }

// Principal is who the account's token speaks for.
func (a *Account) Principal() auth.Principal {
	return auth.Principal{AccountID: a.id, Role: a.role, ProgrammeID: a.programmeID}
}

// Snapshot is an account's whole state, for the store.
type Snapshot struct {
	ID           string
	Email        string
	PasswordHash string
	Role         auth.Role
	ProgrammeID  string
	HostID       string
	StudentID    string
	Version      int64
	CreateTime   time.Time
	UpdateTime   time.Time
}

// Snapshot returns the account's state for storage.
func (a *Account) Snapshot() Snapshot {
	return Snapshot{
		ID: a.id, Email: a.email, PasswordHash: a.passwordHash, Role: a.role, ProgrammeID: a.programmeID,
		HostID: a.hostID, StudentID: a.studentID, Version: a.version, CreateTime: a.createTime, UpdateTime: a.updateTime,
	}
}

// Restore rebuilds an account the store read, without validating it again.
func Restore(s Snapshot) *Account {
	return &Account{
		id: s.ID, email: s.Email, passwordHash: s.PasswordHash, role: s.Role, programmeID: s.ProgrammeID,
		hostID: s.HostID, studentID: s.StudentID, version: s.Version, createTime: s.CreateTime, updateTime: s.UpdateTime,
	}
}

// instant is how times are kept: UTC, to the microsecond, as PostgreSQL stores them, so that
// what a change returns equals what a later read returns.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

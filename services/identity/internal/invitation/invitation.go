// Package invitation is the domain of invitations: a coordinator invites the person of a host
// or student record registered without an account to claim it, with a one-time code sent by
// email (SPEC §3). It decides who may be invited, makes codes and checks them; it does no I/O.
package invitation

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"regexp"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Validity is how long a code works (SPEC §3).
const Validity = 14 * 24 * time.Hour

// codeBytes of randomness: 256 bits, far beyond guessing, which is why a wrong code needs no
// lockout (SPEC §3 forbids one: a wrong code must not lock anybody out).
const codeBytes = 32

var codeRe = regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`)

// Errors of invitations.
var (
	// ErrInvalidCode is the one answer to a wrong, used, replaced or expired code, so that a
	// caller learns nothing about which codes exist. It names the field, as bad input does.
	ErrInvalidCode = func() *errs.Error {
		e := errs.Invalid(errs.Violation{Field: "inviteCode",
			Description: "this invitation code does not work (wrong, already used or expired): ask your coordinator for a new invitation"})
		e.Reason = "INVALID_INVITE_CODE"
		return e
	}()
	// ErrHasAccount: the record's person already has an account; there is nothing to claim.
	ErrHasAccount = errs.FailedPrecondition("RECORD_HAS_ACCOUNT", "this person already has an account: there is nothing to invite them to")
	// ErrRecordNotFound: no record of that kind and id in the caller's reach.
	ErrRecordNotFound = errs.NotFound("RECORD_NOT_FOUND", "record not found")
	// ErrNotFound: no valid invitation with that id (never existed, used, replaced or expired).
	ErrNotFound = errs.NotFound("INVITATION_NOT_FOUND", "no valid invitation with this id")
)

// Record is the identity service's copy of a host or student record: what it needs to decide
// who may invite its person and whether it can still be claimed. It is fed by the hosts' and
// students' registered events and holds no personal data.
type Record struct {
	Kind        account.RecordKind
	ID          string
	ProgrammeID string
	// OwnerAccountID is the account that owns the record; empty while nobody does.
	OwnerAccountID string
}

// Invitation lets the person of one record claim it once, until ExpireTime.
type Invitation struct {
	ID          string
	ProgrammeID string
	Kind        account.RecordKind
	RecordID    string
	// Code is kept readable, not only as a digest, because the notifications service must put
	// it in the email (it reads it through GetInvitationCode); the store drops it as soon as it
	// is used, replaced or expired, and keeps only Digest to find the invitation by.
	Code       string
	CreatedBy  string
	CreateTime time.Time
	ExpireTime time.Time
}

// New invites the person of rec, on behalf of coordinator by, with a fresh random code.
// Errors: ErrHasAccount when the record already has an owner; errs.Invalid for a record
// without id or kind.
func New(id string, rec Record, by string, now time.Time) (Invitation, error) {
	var v errs.Violations
	v.Check(rec.ID != "", "id", "is required")
	v.Check(rec.Kind == account.RecordHost || rec.Kind == account.RecordStudent, "kind", "must be a host or a student")
	if err := v.Err(); err != nil {
		return Invitation{}, err
	}
	if rec.OwnerAccountID != "" {
		return Invitation{}, ErrHasAccount
	}
	buf := make([]byte, codeBytes)
	_, _ = rand.Read(buf) // crypto/rand.Read never fails (Go 1.24+): it crashes the program instead
	now = now.UTC().Truncate(time.Microsecond)
	return Invitation{
		ID: id, ProgrammeID: rec.ProgrammeID, Kind: rec.Kind, RecordID: rec.ID,
		Code: base64.RawURLEncoding.EncodeToString(buf), CreatedBy: by,
		CreateTime: now, ExpireTime: now.Add(Validity),
	}, nil
}

// CheckCode returns ErrInvalidCode when code cannot be a code at all ([A-Za-z0-9_-]{8,64}).
func CheckCode(code string) error {
	if !codeRe.MatchString(code) {
		return ErrInvalidCode
	}
	return nil
}

// Digest is what the store indexes a code by. Sign-up finds an invitation by the digest of the
// code it is given, so that the lookup's timing depends on a hash, not on how many leading
// characters of a real code a guess shares.
func Digest(code string) []byte {
	d := sha256.Sum256([]byte(code))
	return d[:]
}

// Redeem checks that code opens the invitation at now. It compares in constant time, and
// answers ErrInvalidCode alike for a wrong, used (Code dropped) or expired code.
func (i Invitation) Redeem(code string, now time.Time) error {
	if i.Code == "" || subtle.ConstantTimeCompare(Digest(code), Digest(i.Code)) != 1 || !now.Before(i.ExpireTime) {
		return ErrInvalidCode
	}
	return nil
}

// Valid reports whether the invitation's code still works at now.
func (i Invitation) Valid(now time.Time) bool { return i.Code != "" && now.Before(i.ExpireTime) }

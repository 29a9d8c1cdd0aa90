// Package document is a paper the coordinator collects from a host or a student (SPEC §6):
// its kinds, its lifecycle (MISSING → RECEIVED → VERIFIED | REJECTED, VERIFIED → EXPIRED, a new
// upload RECEIVED again), what a file may be, and which documents a programme requires. No I/O.
package document

import (
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Kind is what a document proves: the names of cohabit.type.v1.DocumentKind less their prefix.
type Kind string

// The kinds of SPEC §6.
const (
	KindIdentity           Kind = "IDENTITY"
	KindProofOfSituation   Kind = "PROOF_OF_SITUATION"
	KindHomeInsurance      Kind = "HOME_INSURANCE"
	KindLiabilityInsurance Kind = "LIABILITY_INSURANCE"
	KindLandlordNotice     Kind = "LANDLORD_NOTICE"
	KindReference          Kind = "REFERENCE"
	KindOther              Kind = "OTHER"
)

// Kinds is every kind, in the order of the API's enum.
var Kinds = []Kind{KindIdentity, KindProofOfSituation, KindHomeInsurance, KindLiabilityInsurance, KindLandlordNotice, KindReference, KindOther}

// Valid reports whether k is a kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Status is where a document stands.
type Status string

// The statuses of SPEC §6.
const (
	StatusMissing  Status = "MISSING"
	StatusReceived Status = "RECEIVED"
	StatusVerified Status = "VERIFIED"
	StatusRejected Status = "REJECTED"
	StatusExpired  Status = "EXPIRED"
)

// Party is whose document it is.
type Party string

// The two sides of a stay.
const (
	PartyHost    Party = "HOST"
	PartyStudent Party = "STUDENT"
)

// MaxFileBytes is the largest file accepted (SPEC §6).
const MaxFileBytes = 10 << 20

const maxReasonLen = 500

// Errors of the lifecycle.
var (
	ErrNoFile          = errs.FailedPrecondition("NO_FILE", "nothing was received: upload the file first, or verify it as seen in person")
	ErrAlreadyVerified = errs.FailedPrecondition("ALREADY_VERIFIED", "the document is already verified")
	ErrNotReceived     = errs.FailedPrecondition("NOT_RECEIVED", "only a received or verified document can be rejected")
)

// Document is one paper of one person. Its fields are read by the store and the handlers;
// its changes go through the methods below, which keep the lifecycle.
type Document struct {
	ID              string
	ProgrammeID     string
	OwnerID         string
	Party           Party
	Kind            Kind
	Status          Status
	Required        bool
	File            FileInfo
	HasFile         bool
	ExpiryDate      date.Date // zero: none
	SeenInPerson    bool
	RejectionReason string
	VerifiedAt      *time.Time
	CreatedBy       string
	Version         int
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// FileInfo describes a stored file (its bytes are the FileStore's).
type FileInfo struct {
	Name        string
	ContentType string
	SizeBytes   int
	SHA256      string
}

// New returns a MISSING document of kind for a person.
func New(id, programmeID, ownerID string, party Party, kind Kind, required bool, createdBy string, now time.Time) *Document {
	return &Document{
		ID: id, ProgrammeID: programmeID, OwnerID: ownerID, Party: party, Kind: kind, Status: StatusMissing,
		Required: required, CreatedBy: createdBy, Version: 1, CreatedAt: now, UpdatedAt: now,
	}
}

func (d *Document) touch(now time.Time) {
	d.Version++
	d.UpdatedAt = now
}

// Received records a new file: RECEIVED from any status (a renewed insurance replaces an
// expired one); what was decided about the previous file no longer holds.
func (d *Document) Received(f FileInfo, now time.Time) {
	d.Status = StatusReceived
	d.File = f
	d.HasFile = true
	d.ExpiryDate = date.Date{}
	d.SeenInPerson = false
	d.RejectionReason = ""
	d.VerifiedAt = nil
	d.touch(now)
}

// Verify marks the document VERIFIED: a received file, or the paper seen in person (then no
// file is needed), with its expiry date when one applies (zero: none). A paper whose expiry
// date is already past is verified and EXPIRED at once. It returns whether the file must now
// be deleted: an identity paper's copy is not kept once verified (SPEC §6).
func (d *Document) Verify(expiry date.Date, seenInPerson bool, today date.Date, now time.Time) (dropFile bool, err error) {
	switch d.Status {
	case StatusVerified:
		return false, ErrAlreadyVerified
	case StatusReceived:
	default:
		if !seenInPerson {
			return false, ErrNoFile.WithMessage("the document is %s: upload the file first, or verify it as seen in person", strings.ToLower(string(d.Status)))
		}
	}
	d.Status = StatusVerified
	d.ExpiryDate = expiry
	d.SeenInPerson = seenInPerson
	d.RejectionReason = ""
	d.VerifiedAt = &now
	if d.Kind == KindIdentity && d.HasFile {
		d.HasFile = false
		d.File = FileInfo{}
		dropFile = true
	}
	d.touch(now)
	if !expiry.IsZero() && expiry.Before(today) {
		d.Status = StatusExpired
	}
	return dropFile, nil
}

// Reject marks a received (or verified) document REJECTED with the reason the person is told.
func (d *Document) Reject(reason string, now time.Time) error {
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > maxReasonLen {
		return errs.Invalid(errs.Violation{Field: "reason", Description: "is required (at most 500 characters)"})
	}
	if d.Status != StatusReceived && d.Status != StatusVerified {
		return ErrNotReceived
	}
	d.Status = StatusRejected
	d.RejectionReason = reason
	d.VerifiedAt = nil
	d.touch(now)
	return nil
}

// Expire marks a VERIFIED document past its expiry date EXPIRED, and reports whether it did.
func (d *Document) Expire(today date.Date, now time.Time) bool {
	if d.Status != StatusVerified || d.ExpiryDate.IsZero() || !d.ExpiryDate.Before(today) {
		return false
	}
	d.Status = StatusExpired
	d.touch(now)
	return true
}

// Good reports whether the document lets a stay starting on start go ahead: VERIFIED and not
// expiring before start.
func (d *Document) Good(start date.Date) bool {
	return d.Status == StatusVerified && (d.ExpiryDate.IsZero() || !d.ExpiryDate.Before(start))
}

// The types a file may be, read from its content.
var fileTypes = []string{"application/pdf", "image/jpeg", "image/png"}

// Sniff checks a file: not empty, at most MaxFileBytes, a PDF, JPEG or PNG by its content
// (whatever its name or declared type). It returns the type read, or violations on
// "content".
func Sniff(content []byte) (string, error) {
	if len(content) == 0 {
		return "", errs.Invalid(errs.Violation{Field: "content", Description: "is required (the file, base64-encoded)"})
	}
	if len(content) > MaxFileBytes {
		return "", errs.Invalid(errs.Violation{Field: "content", Description: "is larger than 10 MiB"})
	}
	ct, _, _ := strings.Cut(http.DetectContentType(content), ";")
	if !slices.Contains(fileTypes, ct) {
		return "", errs.Invalid(errs.Violation{Field: "content", Description: "is not a PDF, JPEG or PNG file"})
	}
	return ct, nil
}

// CleanFileName keeps the last element of a client's file name, without control characters,
// at most 200 characters; "document" when nothing is left.
func CleanFileName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, strings.TrimSpace(name))
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	if name == "" || name == "." || name == ".." {
		return "document"
	}
	return name
}

// Requirements are the kinds a programme requires of each side.
type Requirements struct {
	Host    []Kind
	Student []Kind
}

// DefaultRequirements are SPEC §6's: a host's identity and home insurance; a student's
// identity, proof of studies or work, and liability insurance.
func DefaultRequirements() Requirements {
	return Requirements{
		Host:    []Kind{KindIdentity, KindHomeInsurance},
		Student: []Kind{KindIdentity, KindProofOfSituation, KindLiabilityInsurance},
	}
}

// For returns the kinds required of a person: the programme's for the party, and the notice
// to the landlord for a host who is a tenant (the law's, whatever the settings).
func (r Requirements) For(party Party, isTenant bool) []Kind {
	var out []Kind
	if party == PartyHost {
		out = slices.Clone(r.Host)
		if isTenant && !slices.Contains(out, KindLandlordNotice) {
			out = append(out, KindLandlordNotice)
		}
	} else {
		out = slices.Clone(r.Student)
	}
	return out
}

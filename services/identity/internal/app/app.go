// Package app holds the identity service's use cases, one file each. It decides who may act on
// which record (the per-method role rules are grpcapi's Policy; the record rules are here), and
// leaves rules of the records themselves to the domain.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Records reads a record from its own service (records.Reader), for a record identity's copy
// does not hold yet.
type Records interface {
	Record(ctx context.Context, kind account.RecordKind, id string) (invitation.Record, error)
}

// Hasher hashes and checks passwords (password.Hasher).
type Hasher interface {
	Hash(password string) (string, error)
	// Verify reports whether password matches hash, and whether hash is at an old cost.
	Verify(password, hash string) (ok, stale bool, err error)
}

// Tokens issues bearer tokens (auth.Issuer).
type Tokens interface {
	Issue(p auth.Principal) (string, time.Time, error)
}

// Deps are the App's collaborators.
type Deps struct {
	Store  *postgres.Store
	Hasher Hasher
	Tokens Tokens
	// Now is the clock; time.Now when nil. Tests move it instead of sleeping.
	Now func() time.Time
	Log *slog.Logger
	// Records, when set, fills gaps in the copy of the records (nil: the copy alone).
	Records Records
}

// App runs the use cases.
type App struct {
	store  *postgres.Store
	hasher Hasher
	tokens Tokens
	now    func() time.Time
	log    *slog.Logger
	// dummyHash is verified when the email is unknown, so that a wrong email costs the same
	// time as a wrong password and timing does not reveal which accounts exist.
	dummyHash string
	records   Records
}

// New returns the use cases over d.
func New(d Deps) (*App, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	dummy, err := d.Hasher.Hash("not a password anyone has: " + uuid.NewString())
	if err != nil {
		return nil, fmt.Errorf("dummy password hash: %w", err)
	}
	return &App{store: d.Store, hasher: d.Hasher, tokens: d.Tokens, now: d.Now, log: d.Log, dummyHash: dummy, records: d.Records}, nil
}

// principal returns the caller, or Unauthenticated: the Policy already demands a token for
// every non-public method, so reaching this without one is a wiring bug worth refusing.
func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, errs.Unauthenticated("UNAUTHENTICATED", "sign in first: this call needs a bearer token")
	}
	return p, nil
}

var errAdminOnly = errs.PermissionDenied("ADMIN_ONLY", "only a network admin may do this")

func requireAdmin(ctx context.Context) error {
	p, err := principal(ctx)
	if err != nil {
		return err
	}
	if !p.Is(auth.RoleAdmin) {
		return errAdminOnly
	}
	return nil
}

// noSuchProgramme turns a missing programme named in a request into bad input on that field:
// the caller sent a wrong id, the resource they asked for is the account.
func noSuchProgramme(err error, programmeID string) error {
	if errors.Is(err, programme.ErrNotFound) {
		return errs.Invalid(errs.Violation{Field: "programmeId", Description: fmt.Sprintf("programme %q does not exist", programmeID)})
	}
	return err
}

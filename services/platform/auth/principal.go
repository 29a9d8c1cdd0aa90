// Package auth verifies bearer tokens and carries the authenticated caller (the principal)
// through the context. Tokens are EdDSA-signed JWTs issued by the identity service; every
// service verifies them itself with the public key, so no call to identity is needed per
// request.
package auth

import (
	"context"
	"slices"
	"time"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// Role is what an account may do. The values match the proto enum names without prefix.
type Role string

// Roles of SPEC §1, and the internal role that services use to read from each other.
const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleHost        Role = "host"
	RoleStudent     Role = "student"
	RoleService     Role = "service"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleCoordinator, RoleHost, RoleStudent, RoleService:
		return true
	}
	return false
}

// Principal is the authenticated caller.
type Principal struct {
	AccountID   string
	Role        Role
	ProgrammeID string
	// SessionID names the sign-in a token comes from (tokens slid by a refresh keep it), so
	// that signing out ends them all; IssuedAt is when the token was signed, so that the
	// sessions of an account can be ended at a point in time. Both come from the token.
	SessionID string
	IssuedAt  time.Time
}

// Is reports whether the principal has one of roles.
func (p Principal) Is(roles ...Role) bool { return slices.Contains(roles, p.Role) }

// CoordinatesProgramme reports whether p is a coordinator of programme id.
func (p Principal) CoordinatesProgramme(id string) bool {
	return p.Role == RoleCoordinator && p.ProgrammeID != "" && p.ProgrammeID == id
}

type ctxKey struct{}

// WithPrincipal returns a context carrying p.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// FromContext returns the principal of an authenticated call.
func FromContext(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

// ErrNoPrincipal refuses a use case called without an authenticated caller.
var ErrNoPrincipal = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")

// Required returns the principal of an authenticated call, or ErrNoPrincipal: what every use
// case that checks who may do what to a record asks first.
func Required(ctx context.Context) (Principal, error) {
	p, ok := FromContext(ctx)
	if !ok {
		return Principal{}, ErrNoPrincipal
	}
	return p, nil
}

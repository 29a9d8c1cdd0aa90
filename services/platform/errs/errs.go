// Package errs is the platform's error model: an error carries a kind from the gRPC code set,
// a stable reason, a message safe to show a user, field violations for bad input, and a hidden
// cause. Domain packages declare sentinels built with these constructors; one gRPC interceptor
// (grpcx) turns them into a status. Anything that is not an *Error is internal and is never
// shown to the client.
package errs

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"google.golang.org/grpc/codes"
)

// Violation is one bad field of a request.
type Violation struct {
	// Field is the request field in lowerCamelCase JSON form, dotted for nesting
	// ("address.postcode").
	Field       string
	Description string
}

// Error is an error with a kind, a reason and a safe message.
type Error struct {
	Code       codes.Code
	Reason     string
	Message    string
	Violations []Violation
	cause      error
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", e.Reason, e.Message)
	for _, v := range e.Violations {
		fmt.Fprintf(&b, "; %s: %s", v.Field, v.Description)
	}
	if e.cause != nil {
		fmt.Fprintf(&b, ": %v", e.cause)
	}
	return b.String()
}

// Unwrap exposes the hidden cause to errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.cause }

// Is makes two *Error equal when their code and reason match, so that a sentinel matches a
// copy of itself that carries a different message or cause.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return e.Code == t.Code && e.Reason == t.Reason
}

// WithCause returns a copy of e that wraps cause (kept for logs, never sent to clients).
func (e *Error) WithCause(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}

// WithMessage returns a copy of e with another safe message.
func (e *Error) WithMessage(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

func newErr(code codes.Code, reason, format string, args ...any) *Error {
	return &Error{Code: code, Reason: reason, Message: fmt.Sprintf(format, args...)}
}

// Invalid is bad input (InvalidArgument, HTTP 400) with the fields at fault.
func Invalid(violations ...Violation) *Error {
	msg := "invalid request"
	if len(violations) == 1 {
		msg = violations[0].Field + ": " + violations[0].Description
	} else if len(violations) > 1 {
		msg = fmt.Sprintf("invalid request: %d fields are invalid", len(violations))
	}
	return &Error{Code: codes.InvalidArgument, Reason: "INVALID_ARGUMENT", Message: msg, Violations: violations}
}

// FailedPrecondition is a request that the record's state does not allow (HTTP 400).
func FailedPrecondition(reason, format string, args ...any) *Error {
	return newErr(codes.FailedPrecondition, reason, format, args...)
}

// NotFound is a record that does not exist or that the caller may not know of (HTTP 404).
func NotFound(reason, format string, args ...any) *Error {
	return newErr(codes.NotFound, reason, format, args...)
}

// AlreadyExists is a create that clashes with an existing record (HTTP 409).
func AlreadyExists(reason, format string, args ...any) *Error {
	return newErr(codes.AlreadyExists, reason, format, args...)
}

// Aborted is a lost race: a stale etag or a concurrent change (HTTP 409).
func Aborted(reason, format string, args ...any) *Error {
	return newErr(codes.Aborted, reason, format, args...)
}

// PermissionDenied is a caller who is known but may not do this (HTTP 403).
func PermissionDenied(reason, format string, args ...any) *Error {
	return newErr(codes.PermissionDenied, reason, format, args...)
}

// Unauthenticated is a missing, expired or forged credential (HTTP 401).
func Unauthenticated(reason, format string, args ...any) *Error {
	return newErr(codes.Unauthenticated, reason, format, args...)
}

// ResourceExhausted is a caller slowed down, e.g. after failed logins (HTTP 429).
func ResourceExhausted(reason, format string, args ...any) *Error {
	return newErr(codes.ResourceExhausted, reason, format, args...)
}

// Unavailable is a dependency that is not ready yet; the caller may retry (HTTP 503).
func Unavailable(reason, format string, args ...any) *Error {
	return newErr(codes.Unavailable, reason, format, args...)
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// Annotate wraps err with what failed (format, args), unless it is already an answer for the
// caller as it is: an *Error in its chain (its kind and reason are what the client gets) or a
// cancellation. Nil stays nil.
func Annotate(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	if _, ok := As(err); ok || errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// CodeOf returns the kind of err: its *Error's code, or Internal for anything else.
func CodeOf(err error) codes.Code {
	if err == nil {
		return codes.OK
	}
	if e, ok := As(err); ok {
		return e.Code
	}
	return codes.Internal
}

// Violations collects field violations while a constructor checks its input.
type Violations []Violation

// Add records a violation of field.
func (v *Violations) Add(field, format string, args ...any) {
	*v = append(*v, Violation{Field: field, Description: fmt.Sprintf(format, args...)})
}

// Check records a violation of field when ok is false.
func (v *Violations) Check(ok bool, field, format string, args ...any) {
	if !ok {
		v.Add(field, format, args...)
	}
}

// Err returns an Invalid error holding the violations, or nil when there are none.
func (v Violations) Err() error {
	if len(v) == 0 {
		return nil
	}
	return Invalid(v...)
}

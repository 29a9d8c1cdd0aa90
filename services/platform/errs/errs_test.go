package errs

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
)

func TestSentinelMatchesItsCopies(t *testing.T) {
	t.Parallel()
	sentinel := FailedPrecondition("HOST_TOO_YOUNG", "host must be 60")
	wrapped := fmt.Errorf("verify host h1: %w", sentinel.WithMessage("host is 59").WithCause(errors.New("db")))
	if !errors.Is(wrapped, sentinel) {
		t.Fatal("a copy with another message must still match its sentinel")
	}
	if errors.Is(wrapped, FailedPrecondition("OTHER", "x")) {
		t.Fatal("another reason must not match")
	}
	if got := CodeOf(wrapped); got != codes.FailedPrecondition {
		t.Fatalf("CodeOf = %v", got)
	}
	if got := CodeOf(errors.New("boom")); got != codes.Internal {
		t.Fatalf("unknown errors are internal, got %v", got)
	}
}

func TestViolations(t *testing.T) {
	t.Parallel()
	var v Violations
	v.Check(true, "ok", "never")
	if v.Err() != nil {
		t.Fatal("no violation must give nil")
	}
	v.Check(false, "areaM2", "must be at least %d", 9)
	v.Add("title", "is required")
	e, ok := As(v.Err())
	if !ok || e.Code != codes.InvalidArgument || len(e.Violations) != 2 {
		t.Fatalf("got %#v", v.Err())
	}
	if e.Violations[0].Field != "areaM2" || e.Violations[0].Description != "must be at least 9" {
		t.Fatalf("first violation = %+v", e.Violations[0])
	}
}

func TestAnnotate(t *testing.T) {
	t.Parallel()
	if Annotate(nil, "change host %s", "h1") != nil {
		t.Error("nil annotated")
	}
	domain := NotFound("HOST_NOT_FOUND", "no such host")
	wrapped := fmt.Errorf("lock: %w", domain)
	for _, err := range []error{domain, wrapped, context.Canceled} {
		if got := Annotate(err, "change host %s", "h1"); got != err {
			t.Errorf("%v annotated as %v, want it as it is", err, got)
		}
	}
	broken := errors.New("connection reset")
	if got := Annotate(broken, "change host %s", "h1"); !errors.Is(got, broken) || got.Error() != "change host h1: connection reset" {
		t.Errorf("annotated %v", got)
	}
}

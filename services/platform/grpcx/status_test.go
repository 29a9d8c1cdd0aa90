package grpcx_test

import (
	"errors"
	"testing"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
)

func TestStatusReasonAndFieldViolations(t *testing.T) {
	t.Parallel()
	invalid := grpcx.StatusOf(errs.Invalid(
		errs.Violation{Field: "birthDate", Description: "is not a date"},
		errs.Violation{Field: "budgetCents", Description: "must not be negative"},
		errs.Violation{Field: "budgetCents", Description: "exceeds the cap of 20000"},
	)).Err()
	if got := grpcx.Reason(invalid); got != "INVALID_ARGUMENT" {
		t.Errorf("Reason = %q", got)
	}
	v := grpcx.FieldViolations(invalid)
	if len(v) != 2 || v["birthDate"] != "is not a date" || v["budgetCents"] != "must not be negative; exceeds the cap of 20000" {
		t.Errorf("FieldViolations = %q", v)
	}

	notFound := grpcx.StatusOf(errs.NotFound("HOST_NOT_FOUND", "no such host")).Err()
	if got := grpcx.Reason(notFound); got != "HOST_NOT_FOUND" {
		t.Errorf("Reason = %q", got)
	}
	if v := grpcx.FieldViolations(notFound); v == nil || len(v) != 0 {
		t.Errorf("FieldViolations without any = %#v", v)
	}

	for _, err := range []error{nil, errors.New("plain")} {
		if grpcx.Reason(err) != "" || len(grpcx.FieldViolations(err)) != 0 {
			t.Errorf("%v: a detail out of nowhere", err)
		}
	}
}

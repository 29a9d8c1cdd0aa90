package date_test

import (
	"testing"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

func TestField(t *testing.T) {
	t.Parallel()
	var v errs.Violations
	if d := date.Field(&v, "birthDate", ""); !d.IsZero() {
		t.Fatalf("empty text: %v", d)
	}
	if d := date.Field(&v, "birthDate", "1948-03-12"); d.String() != "1948-03-12" {
		t.Fatalf("good date: %v", d)
	}
	if len(v) != 0 {
		t.Fatalf("violations for good input: %v", v)
	}
	if d := date.Field(&v, "moveInDate", "12/03/1948"); !d.IsZero() {
		t.Fatalf("bad date: %v", d)
	}
	date.Field(&v, "moveOutDate", "2027-02-30")
	if len(v) != 2 || v[0].Field != "moveInDate" || v[1].Field != "moveOutDate" || v[0].Description != `"12/03/1948" is not a date (YYYY-MM-DD)` {
		t.Fatalf("violations %+v", v)
	}
}

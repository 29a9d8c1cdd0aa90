package ids_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/platform/ids"
)

func TestNew(t *testing.T) {
	t.Parallel()
	a, b := ids.New(), ids.New()
	if a == b {
		t.Fatal("two new ids are equal")
	}
	for _, s := range []string{a, b} {
		u, err := uuid.Parse(s)
		if err != nil || u.Version() != 7 || !ids.Valid(s) {
			t.Fatalf("%q: version %v, err %v", s, u.Version(), err)
		}
	}
}

func TestValid(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want bool
	}{
		{"0190a5d2-7c4e-7b3a-9f10-0123456789ab", true},
		{"0190A5D2-7C4E-7B3A-9F10-0123456789AB", true},
		{"", false},
		{"not-a-uuid", false},
		{"garbage", false},
		{"0190a5d27c4e7b3a9f100123456789ab", false},              // valid for uuid.Parse, not canonical
		{"urn:uuid:0190a5d2-7c4e-7b3a-9f10-0123456789ab", false}, // idem
		{"{0190a5d2-7c4e-7b3a-9f10-0123456789ab}", false},        // idem
		{"0190a5d2-7c4e-7b3a-9f10-0123456789ag", false},
		{"0190a5d2x7c4e-7b3a-9f10-0123456789ab", false},
	} {
		if got := ids.Valid(tc.in); got != tc.want {
			t.Errorf("Valid(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

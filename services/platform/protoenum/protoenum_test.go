package protoenum_test

import (
	"testing"

	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/protoenum"
)

func TestName(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   typev1.Rhythm
		want string
	}{
		{typev1.Rhythm_RHYTHM_EARLY, "EARLY"},
		{typev1.Rhythm_RHYTHM_UNSPECIFIED, ""},
		{typev1.Rhythm(99), protoenum.Unknown},
	} {
		if got := protoenum.Name(tc.in, typev1.Rhythm_name, "RHYTHM_"); got != tc.want {
			t.Errorf("Name(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := protoenum.Name(typev1.Service_SERVICE_MEALS, typev1.Service_name, "SERVICE_"); got != "MEALS" {
		t.Errorf("Name(SERVICE_MEALS) = %q", got)
	}
}

package convert

import (
	"reflect"
	"testing"

	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/auth"
)

func TestSettingsRoundTrip(t *testing.T) {
	t.Parallel()
	s := programme.DefaultSettings()
	s.HostMinAge = 65
	if got := SettingsFrom(Settings(s)); !reflect.DeepEqual(got, s) {
		t.Fatalf("got %+v, want %+v", got, s)
	}
	if got := SettingsFrom(nil); !reflect.DeepEqual(got, programme.Settings{}) {
		t.Fatalf("nil settings read as %+v", got)
	}
}

func TestRoles(t *testing.T) {
	t.Parallel()
	for _, r := range []auth.Role{auth.RoleAdmin, auth.RoleCoordinator, auth.RoleHost, auth.RoleStudent} {
		if got := RoleFrom(Role(r)); got != r {
			t.Errorf("%s round-trips to %s", r, got)
		}
	}
	if Role(auth.RoleService) != typev1.Role_ROLE_UNSPECIFIED {
		t.Error("the service role has an API name")
	}
	if RoleFrom(typev1.Role(99)) != "" || RoleFrom(typev1.Role_ROLE_UNSPECIFIED) != "" {
		t.Error("unknown roles read as a role")
	}
}

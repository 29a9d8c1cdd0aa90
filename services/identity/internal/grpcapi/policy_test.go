package grpcapi

import (
	"slices"
	"testing"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// A method without a rule is refused to everyone (default deny): this catches a method added
// to the proto and forgotten here before a user does.
func TestPolicyCoversEveryMethod(t *testing.T) {
	t.Parallel()
	policy := Policy
	desc := identityv1.IdentityService_ServiceDesc
	methods := map[string]bool{}
	for _, m := range desc.Methods {
		name := "/" + desc.ServiceName + "/" + m.MethodName
		methods[name] = true
		rule, ok := policy[name]
		if !ok {
			t.Errorf("%s has no rule", name)
			continue
		}
		if !rule.Public && len(rule.Roles) == 0 {
			t.Errorf("%s is neither public nor open to any role", name)
		}
	}
	for _, s := range desc.Streams {
		t.Errorf("stream %s: the policy test does not cover streams yet", s.StreamName)
	}
	for name := range policy {
		if !methods[name] {
			t.Errorf("rule for %s, which the service does not have", name)
		}
	}
}

func TestMaskPaths(t *testing.T) {
	t.Parallel()
	got := maskPaths([]string{"id", "etag", "name", "settings.host_min_age", "settings.checkin_first_days", "update_time"})
	want := []string{"name", "settings.hostMinAge", "settings.checkinFirstDays"}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if got := maskPaths([]string{"*"}); !slices.Equal(got, []string{"name", "territory", "phone", "email", "settings"}) {
		t.Fatalf("* gives %v", got)
	}
}

package person_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/platform/person"
)

var errClaimed = errs.FailedPrecondition("RECORD_CLAIMED", "another account owns it")

func TestClaim(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		owner   string
		changed bool
		err     error
	}{
		{"", true, nil},
		{"a1", false, nil},
		{"a2", false, errClaimed},
	} {
		changed, err := person.Claim(tc.owner, "a1", errClaimed)
		if changed != tc.changed || !errors.Is(err, tc.err) {
			t.Errorf("owner %q: %v, %v; want %v, %v", tc.owner, changed, err, tc.changed, tc.err)
		}
	}
}

type record struct{ programme, owner string }

func (r *record) ProgrammeID() string { return r.programme }
func (r *record) Claim(accountID string, _ time.Time) (bool, error) {
	changed, err := person.Claim(r.owner, accountID, errClaimed)
	if changed {
		r.owner = accountID
	}
	return changed, err
}

func TestClaimInvited(t *testing.T) {
	t.Parallel()
	r := &record{programme: "lyon"}
	if _, err := person.ClaimInvited(r, "host", "a1", "paris", time.Now()); !isReason(err, "OTHER_PROGRAMME") || r.owner != "" {
		t.Fatalf("claim of another programme's invitation: %v, owner %q", err, r.owner)
	}
	if changed, err := person.ClaimInvited(r, "host", "a1", "lyon", time.Now()); err != nil || !changed || r.owner != "a1" {
		t.Fatalf("claim: %v, %v, owner %q", changed, err, r.owner)
	}
}

func isReason(err error, reason string) bool {
	e, ok := errs.As(err)
	return ok && e.Reason == reason
}

func TestRefuseSecondRegistration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var asked []string
	unclaimed := func(_ context.Context, programmeID, email string) (bool, error) {
		asked = append(asked, email)
		return email == "ana@example.org", nil
	}
	if err := person.RefuseSecondRegistration(ctx, unclaimed, "lyon", "  Ana@Example.org "); !errors.Is(err, person.ErrInvitationRequired) {
		t.Errorf("registered by the coordinator: %v, want ErrInvitationRequired", err)
	}
	if err := person.RefuseSecondRegistration(ctx, unclaimed, "lyon", "bea@example.org"); err != nil {
		t.Errorf("not registered: %v", err)
	}
	if err := person.RefuseSecondRegistration(ctx, unclaimed, "lyon", " "); err != nil {
		t.Errorf("no email: %v", err)
	}
	if !slices.Equal(asked, []string{"ana@example.org", "bea@example.org"}) {
		t.Errorf("asked about %q, want the normalised emails, and none for no email", asked)
	}
}

func TestCheckBirthDate(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 9, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		birth    date.Date
		minYears int
		bad      bool
	}{
		{date.Date{}, 0, true},
		{date.Of(now), 0, true},
		{date.Of(now.AddDate(-121, 0, 0)), 0, true},
		{date.Of(now.AddDate(-80, 0, 0)), 0, false},
		{date.Of(now.AddDate(-10, 0, 0)), 15, true},
		{date.Of(now.AddDate(-20, 0, 0)), 15, false},
	} {
		var v errs.Violations
		person.CheckBirthDate(&v, tc.birth, now, tc.minYears)
		if (len(v) > 0) != tc.bad {
			t.Errorf("born %s (at least %d): violations %+v, want bad=%v", tc.birth, tc.minYears, v, tc.bad)
		}
	}
}

func TestNormalised(t *testing.T) {
	t.Parallel()
	if got := person.Languages([]string{" FR", "en", "fr "}); !slices.Equal(got, []string{"fr", "en"}) {
		t.Errorf("languages %q", got)
	}
	if got := person.SortedSet([]string{"MEALS", "COMPANY", "MEALS"}); !slices.Equal(got, []string{"COMPANY", "MEALS"}) {
		t.Errorf("services %q", got)
	}
}

type owned struct{ programme, owner string }

func (o owned) ProgrammeID() string    { return o.programme }
func (o owned) OwnerAccountID() string { return o.owner }

func TestMayManageAndListScope(t *testing.T) {
	t.Parallel()
	coordinator := auth.Principal{AccountID: "c1", Role: auth.RoleCoordinator, ProgrammeID: "lyon"}
	host := auth.Principal{AccountID: "a1", Role: auth.RoleHost, ProgrammeID: "lyon"}
	student := auth.Principal{AccountID: "a1", Role: auth.RoleStudent, ProgrammeID: "lyon"}
	for _, tc := range []struct {
		name string
		p    auth.Principal
		r    owned
		want bool
	}{
		{"her programme's coordinator", coordinator, owned{"lyon", ""}, true},
		{"another programme's coordinator", coordinator, owned{"paris", "a1"}, false},
		{"the owner", host, owned{"lyon", "a1"}, true},
		{"the owner's account with another role", student, owned{"lyon", "a1"}, false},
		{"no owner is nobody's", host, owned{"lyon", ""}, false},
		{"another account", host, owned{"lyon", "a2"}, false},
	} {
		if got := person.MayManage(tc.p, auth.RoleHost, tc.r); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if prog, owner, err := person.ListScope(coordinator, auth.RoleHost, "hosts"); err != nil || prog != "lyon" || owner != "" {
		t.Errorf("coordinator's scope: %q %q %v", prog, owner, err)
	}
	if prog, owner, err := person.ListScope(host, auth.RoleHost, "hosts"); err != nil || prog != "" || owner != "a1" {
		t.Errorf("host's scope: %q %q %v", prog, owner, err)
	}
	if _, _, err := person.ListScope(student, auth.RoleHost, "hosts"); !isReason(err, "ROLE_NOT_ALLOWED") {
		t.Errorf("student listing hosts: %v", err)
	}
}

func TestRead(t *testing.T) {
	t.Parallel()
	errNotFound := errs.NotFound("THING_NOT_FOUND", "no such thing")
	load := func(_ context.Context, id string) (owned, error) {
		if id != "t1" {
			return owned{}, errNotFound
		}
		return owned{"lyon", "a1"}, nil
	}
	as := func(p auth.Principal) context.Context { return auth.WithPrincipal(context.Background(), p) }
	for _, tc := range []struct {
		name string
		ctx  context.Context
		id   string
		want error
	}{
		{"the owner", as(auth.Principal{AccountID: "a1", Role: auth.RoleHost}), "t1", nil},
		{"a service", as(auth.Principal{AccountID: "contracts", Role: auth.RoleService}), "t1", nil},
		{"another host: not told it exists", as(auth.Principal{AccountID: "a2", Role: auth.RoleHost}), "t1", errNotFound},
		{"unknown", as(auth.Principal{AccountID: "a1", Role: auth.RoleHost}), "t2", errNotFound},
		{"nobody signed in", context.Background(), "t1", auth.ErrNoPrincipal},
	} {
		r, err := person.Read(tc.ctx, auth.RoleHost, tc.id, load, errNotFound)
		if !errors.Is(err, tc.want) || (err == nil && r.owner != "a1") {
			t.Errorf("%s: %+v, %v; want %v", tc.name, r, err, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	t.Parallel()
	coordinator := auth.WithPrincipal(context.Background(), auth.Principal{AccountID: "c1", Role: auth.RoleCoordinator, ProgrammeID: "lyon"})
	var asked person.Listing
	read := func(_ context.Context, l person.Listing) ([]owned, error) {
		asked = l
		return []owned{{"lyon", "a1"}, {"lyon", "a2"}}, nil
	}
	id := func(o owned) string { return o.owner }
	items, next, err := person.List(coordinator, auth.RoleHost, "hosts", "ana", page.Request{Size: 2}, read, id)
	if err != nil || len(items) != 2 || next == "" {
		t.Fatalf("list: %d items, next %q, %v; want a full page and a next token", len(items), next, err)
	}
	if asked.ProgrammeID != "lyon" || asked.OwnerAccountID != "" || asked.Query != "ana" || asked.Limit != 2 {
		t.Errorf("read asked for %+v", asked)
	}
	student := auth.WithPrincipal(context.Background(), auth.Principal{AccountID: "a1", Role: auth.RoleStudent})
	if _, _, err := person.List(student, auth.RoleHost, "hosts", "", page.Request{}, read, id); !isReason(err, "ROLE_NOT_ALLOWED") {
		t.Errorf("a student listing hosts: %v", err)
	}
}

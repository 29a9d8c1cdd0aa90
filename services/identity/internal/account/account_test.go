package account

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// plainHasher keeps the domain tests free of argon2: it only has to be a deterministic function.
type plainHasher struct{}

func (plainHasher) Hash(pw string) (string, error) { return "hashed:" + pw, nil }

func violated(t *testing.T, err error) []string {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != codes.InvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
	var out []string
	for _, v := range e.Violations {
		out = append(out, v.Field)
	}
	return out
}

func TestNormaliseEmail(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		in, want string
		valid    bool
	}{
		"kept":              {"anne@example.org", "anne@example.org", true},
		"trimmed":           {"  anne@example.org\t", "anne@example.org", true},
		"lower-cased":       {"Anne.Martin@Example.ORG", "anne.martin@example.org", true},
		"no at":             {"anne.example.org", "anne.example.org", false},
		"display name":      {"Anne <anne@example.org>", "anne <anne@example.org>", false},
		"empty":             {"   ", "", false},
		"two addresses":     {"a@example.org, b@example.org", "a@example.org, b@example.org", false},
		"space inside":      {"an ne@example.org", "an ne@example.org", false},
		"too long":          {strings.Repeat("a", 250) + "@example.org", strings.Repeat("a", 250) + "@example.org", false},
		"plus tag accepted": {"anne+cohabit@example.org", "anne+cohabit@example.org", true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := NormaliseEmail(c.in)
			if got != c.want {
				t.Fatalf("NormaliseEmail(%q) = %q, want %q", c.in, got, c.want)
			}
			if ValidEmail(got) != c.valid {
				t.Fatalf("ValidEmail(%q) = %v, want %v", got, !c.valid, c.valid)
			}
		})
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	cases := map[string]struct {
		pw string
		ok bool
	}{
		"empty":                {"", false},
		"nine characters":      {"123456789", false},
		"ten characters":       {"1234567890", true},
		"ten accented runes":   {"éééééééééé", true}, // 20 bytes, but 10 characters
		"nine accented runes":  {"ééééééééé", false},
		"128 characters":       {strings.Repeat("x", 128), true},
		"129 characters":       {strings.Repeat("x", 129), false},
		"spaces count as such": {"          ", true},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			err := CheckPassword(c.pw)
			if c.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if got := violated(t, err); !slices.Equal(got, []string{"password"}) {
				t.Fatalf("violations %v", got)
			}
		})
	}
}

func TestSignup(t *testing.T) {
	t.Parallel()
	good := Draft{ID: "a1", Email: " Host@Example.org ", Password: "long enough password", Role: auth.RoleHost, ProgrammeID: "lyon"}
	cases := []struct {
		name   string
		edit   func(*Draft)
		fields []string
	}{
		{"host", func(*Draft) {}, nil},
		{"student", func(d *Draft) { d.Role = auth.RoleStudent }, nil},
		{"coordinator refused", func(d *Draft) { d.Role = auth.RoleCoordinator }, []string{"role"}},
		{"admin refused", func(d *Draft) { d.Role = auth.RoleAdmin }, []string{"role"}},
		{"no role", func(d *Draft) { d.Role = "" }, []string{"role"}},
		{"no programme", func(d *Draft) { d.ProgrammeID = "" }, []string{"programmeId"}},
		{"everything wrong", func(d *Draft) { *d = Draft{ID: "a1", Email: "x", Password: "short", Role: auth.RoleHost} },
			[]string{"email", "password", "programmeId"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := good
			c.edit(&d)
			a, err := Signup(d, plainHasher{}, t0)
			if c.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				if a.Email() != "host@example.org" || a.PasswordHash() != "hashed:long enough password" || a.Version() != 1 {
					t.Fatalf("account %+v", a.Snapshot())
				}
				return
			}
			if got := violated(t, err); !slices.Equal(got, c.fields) {
				t.Fatalf("violations %v, want %v", got, c.fields)
			}
		})
	}
}

func TestCreate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		role   auth.Role
		prog   string
		fields []string
	}{
		{"coordinator of a programme", auth.RoleCoordinator, "lyon", nil},
		{"coordinator without programme", auth.RoleCoordinator, "", []string{"programmeId"}},
		{"admin", auth.RoleAdmin, "", nil},
		{"admin in a programme", auth.RoleAdmin, "lyon", []string{"programmeId"}},
		{"host", auth.RoleHost, "lyon", []string{"role"}},
		{"service", auth.RoleService, "", []string{"role"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, err := Create(Draft{ID: "a1", Email: "staff@example.org", Password: "long enough password", Role: c.role, ProgrammeID: c.prog}, plainHasher{}, t0)
			if c.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				if p := a.Principal(); p.Role != c.role || p.ProgrammeID != c.prog || p.AccountID != "a1" {
					t.Fatalf("principal %+v", p)
				}
				return
			}
			if got := violated(t, err); !slices.Equal(got, c.fields) {
				t.Fatalf("violations %v, want %v", got, c.fields)
			}
		})
	}
}

func TestLink(t *testing.T) {
	t.Parallel()
	newAccount := func(role auth.Role) *Account {
		a, err := Signup(Draft{ID: "a1", Email: "x@example.org", Password: "long enough password", Role: role, ProgrammeID: "lyon"}, plainHasher{}, t0)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	later := t0.Add(time.Minute)

	host := newAccount(auth.RoleHost)
	changed, err := host.Link(RecordHost, "h1", "lyon", later)
	if err != nil || !changed || host.HostID() != "h1" || host.Version() != 2 || !host.UpdateTime().Equal(later) {
		t.Fatalf("first link: changed=%v err=%v %+v", changed, err, host.Snapshot())
	}
	changed, err = host.Link(RecordHost, "h1", "lyon", later.Add(time.Minute))
	if err != nil || changed || host.Version() != 2 {
		t.Fatalf("same link again: changed=%v err=%v version %d", changed, err, host.Version())
	}
	if _, err := host.Link(RecordHost, "h2", "lyon", later); !errors.Is(err, ErrAlreadyLinked) {
		t.Fatalf("second host: %v", err)
	}
	if _, err := newAccount(auth.RoleHost).Link(RecordHost, "h9", "grenoble", later); !errors.Is(err, ErrOtherProgramme) {
		t.Fatalf("host of another programme: %v", err)
	}
	if _, err := host.Link(RecordStudent, "s1", "lyon", later); !errors.Is(err, ErrWrongRole) {
		t.Fatalf("student record on host account: %v", err)
	}
	if _, err := newAccount(auth.RoleStudent).Link(RecordHost, "h1", "lyon", later); !errors.Is(err, ErrWrongRole) {
		t.Fatalf("host record on student account: %v", err)
	}
	student := newAccount(auth.RoleStudent)
	if _, err := student.Link(RecordStudent, "", "lyon", later); errs.CodeOf(err) != codes.InvalidArgument {
		t.Fatalf("empty id: %v", err)
	}
	if changed, err := student.Link(RecordStudent, "s1", "lyon", later); err != nil || !changed || student.StudentID() != "s1" {
		t.Fatalf("student link: %v", err)
	}
}

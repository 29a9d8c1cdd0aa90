package invitation

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/identity/internal/account"
)

var now = time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)

func TestNewMakesAFreshCodeValid14Days(t *testing.T) {
	t.Parallel()
	rec := Record{Kind: account.RecordStudent, ID: "s1", ProgrammeID: "demo"}
	a, err := New("i1", rec, "c1", now)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New("i2", rec, "c1", now)
	if !regexp.MustCompile(`^[A-Za-z0-9_-]{8,64}$`).MatchString(a.Code) || a.Code == b.Code {
		t.Fatalf("codes %q and %q", a.Code, b.Code)
	}
	if !a.ExpireTime.Equal(now.Add(14*24*time.Hour)) || a.RecordID != "s1" || a.Kind != account.RecordStudent || a.ProgrammeID != "demo" {
		t.Fatalf("invitation %+v", a)
	}
	if err := CheckCode(a.Code); err != nil {
		t.Fatal(err)
	}

	rec.OwnerAccountID = "a1"
	if _, err := New("i3", rec, "c1", now); !errors.Is(err, ErrHasAccount) {
		t.Fatalf("record with an account: %v", err)
	}
	if _, err := New("i4", Record{Kind: "room", ID: "r1"}, "c1", now); err == nil {
		t.Fatal("a room is not a record to claim")
	}
}

func TestRedeem(t *testing.T) {
	t.Parallel()
	inv, err := New("i1", Record{Kind: account.RecordHost, ID: "h1", ProgrammeID: "demo"}, "c1", now)
	if err != nil {
		t.Fatal(err)
	}
	if err := inv.Redeem(inv.Code, now.Add(14*24*time.Hour-time.Second)); err != nil {
		t.Fatalf("the last second: %v", err)
	}
	for name, c := range map[string]struct {
		code string
		at   time.Time
		used bool
	}{
		"wrong":   {code: inv.Code[:len(inv.Code)-1] + "x", at: now},
		"expired": {code: inv.Code, at: now.Add(14 * 24 * time.Hour)},
		"used":    {code: inv.Code, at: now, used: true},
	} {
		i := inv
		if c.used {
			i.Code = ""
		}
		if err := i.Redeem(c.code, c.at); !errors.Is(err, ErrInvalidCode) {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, bad := range []string{"", "short", "with space inside", "é-accented-code", string(make([]byte, 65))} {
		if err := CheckCode(bad); !errors.Is(err, ErrInvalidCode) {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if e := ErrInvalidCode; len(e.Violations) != 1 || e.Violations[0].Field != "inviteCode" {
		t.Fatalf("violations %+v", e.Violations)
	}
}

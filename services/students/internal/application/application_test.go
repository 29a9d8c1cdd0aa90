package application

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

var verified = Applicant{StudentID: "s1", ProgrammeID: "p1", Verified: true}

func validPreferences() Preferences {
	return Preferences{
		BudgetCents: 20000, MoveIn: date.New(2027, 1, 1), MoveOut: date.New(2027, 6, 30),
		Areas: []string{"Croix-Rousse", " Croix-Rousse ", "Presqu'île"},
	}
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	rules := Rules{BudgetCapCents: 30000}
	cases := []struct {
		name   string
		change func(*Preferences)
		field  string
	}{
		{"negative budget", func(p *Preferences) { p.BudgetCents = -1 }, "budgetCents"},
		{"over the programme cap", func(p *Preferences) { p.BudgetCents = 30001 }, "budgetCents"},
		{"no move-in date", func(p *Preferences) { p.MoveIn = date.Date{} }, "moveInDate"},
		{"move-in yesterday", func(p *Preferences) { p.MoveIn = date.Of(now).AddDays(-1) }, "moveInDate"},
		{"move-out before move-in", func(p *Preferences) { p.MoveOut = date.New(2026, 12, 31) }, "moveOutDate"},
		{"move-out on move-in", func(p *Preferences) { p.MoveOut = p.MoveIn }, "moveOutDate"},
		{"room id not a uuid", func(p *Preferences) { p.RoomID = "room-12" }, "roomId"},
		{"eleven areas", func(p *Preferences) {
			p.Areas = nil
			for i := range 11 {
				p.Areas = append(p.Areas, string(rune('A'+i)))
			}
		}, "areas"},
		{"area too long", func(p *Preferences) { p.Areas = []string{strings.Repeat("a", 61)} }, "areas"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := validPreferences()
			c.change(&p)
			_, err := New("a1", verified, p, rules, now)
			e, ok := errs.As(err)
			if !ok || e.Code != errs.Invalid().Code {
				t.Fatalf("want InvalidArgument, got %v", err)
			}
			found := false
			for _, v := range e.Violations {
				found = found || v.Field == c.field
			}
			if !found {
				t.Fatalf("want a violation on %s, got %+v", c.field, e.Violations)
			}
		})
	}
}

func TestBudgetCap(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		budget int
		cap    int
		ok     bool
	}{
		{"zero budget", 0, 0, true},
		{"default cap exactly", DefaultBudgetCap, 0, true},
		{"above the default cap", DefaultBudgetCap + 1, 0, false},
		{"programme cap 200 EUR", 20000, 20000, true},
		{"above programme cap", 20001, 20000, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := validPreferences()
			p.BudgetCents = c.budget
			_, err := New("a1", verified, p, Rules{BudgetCapCents: c.cap}, now)
			if c.ok != (err == nil) {
				t.Fatalf("budget %d cap %d: %v", c.budget, c.cap, err)
			}
			if !c.ok {
				e, _ := errs.As(err)
				want := DefaultBudgetCap
				if c.cap > 0 {
					want = c.cap
				}
				if len(e.Violations) != 1 || e.Violations[0].Field != "budgetCents" || !strings.Contains(e.Violations[0].Description, strconv.Itoa(want)) {
					t.Fatalf("violation must name budgetCents and the cap %d: %+v", want, e.Violations)
				}
			}
		})
	}
}

func TestNewPreconditions(t *testing.T) {
	t.Parallel()
	pending := verified
	pending.Verified = false
	if _, err := New("a1", pending, validPreferences(), Rules{}, now); !errors.Is(err, ErrStudentNotVerified) {
		t.Fatalf("unverified student: %v", err)
	}
	busy := verified
	busy.OpenApplicationID = "a0"
	_, err := New("a1", busy, validPreferences(), Rules{}, now)
	if !errors.Is(err, ErrOpenExists) || errs.CodeOf(err) != ErrOpenExists.Code {
		t.Fatalf("second open application: %v", err)
	}
	a, err := New("a1", verified, validPreferences(), Rules{}, now)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Record()
	if r.Status != StatusSubmitted || !a.Open() || r.StudentID != "s1" || r.ProgrammeID != "p1" || len(r.Preferences.Areas) != 2 {
		t.Fatalf("new application: %+v", r)
	}
	noEnd := validPreferences()
	noEnd.MoveOut = date.Date{}
	noEnd.MoveIn = date.Of(now)
	if _, err := New("a2", verified, noEnd, Rules{}, now); err != nil {
		t.Fatalf("moving in today with no end date: %v", err)
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	withdraw := func(a *Application) error { return a.Withdraw(now) }
	match := func(a *Application) error { return a.Match(now) }
	unmatch := func(a *Application) error { return a.Unmatch(now) }
	place := func(a *Application) error { return a.Place(now) }
	cases := []struct {
		name  string
		steps []func(*Application) error
		fail  func(*Application) error
		want  Status
		open  bool
	}{
		{"withdraw submitted", []func(*Application) error{withdraw}, nil, StatusWithdrawn, false},
		{"withdraw matched", []func(*Application) error{match, withdraw}, nil, StatusWithdrawn, false},
		{"match cancelled", []func(*Application) error{match, unmatch}, nil, StatusSubmitted, true},
		{"placed", []func(*Application) error{match, place}, nil, StatusPlaced, false},
		{"place unmatched", nil, place, StatusSubmitted, true},
		{"unmatch submitted", nil, unmatch, StatusSubmitted, true},
		{"withdraw twice", []func(*Application) error{withdraw}, withdraw, StatusWithdrawn, false},
		{"withdraw placed", []func(*Application) error{match, place}, withdraw, StatusPlaced, false},
		{"match withdrawn", []func(*Application) error{withdraw}, match, StatusWithdrawn, false},
		{"match twice", []func(*Application) error{match}, match, StatusMatched, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			a, err := New("a1", verified, validPreferences(), Rules{}, now)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range c.steps {
				v := a.Version()
				if err := s(a); err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				if a.Version() != v+1 {
					t.Fatalf("step %d: version did not move", i)
				}
			}
			if c.fail != nil {
				v := a.Version()
				if err := c.fail(a); !errors.Is(err, ErrTransition) {
					t.Fatalf("want ErrTransition, got %v", err)
				}
				if a.Version() != v {
					t.Fatal("a refused change moved the version")
				}
			}
			if a.Status() != c.want || a.Open() != c.open {
				t.Fatalf("status %s open %v, want %s %v", a.Status(), a.Open(), c.want, c.open)
			}
		})
	}
}

// Issue 18: an application targeting another programme's room, or a room nobody knows, was
// accepted. The room's programme, as the hosts service gives it, must be the student's.
func TestTargetRoomOfTheProgramme(t *testing.T) {
	t.Parallel()
	const room = "0b8e5f0e-8d1c-4a57-9b4e-2f2b8f6a1c3d"
	for _, c := range []struct {
		name, roomProgramme string
		ok                  bool
	}{
		{"a room of the programme", "p1", true},
		{"a room of another programme", "p2", false},
		{"a room nobody knows", "", false},
	} {
		p := validPreferences()
		p.RoomID = " " + strings.ToUpper(room) + " "
		if got := TargetRoom(p); got != room {
			t.Fatalf("TargetRoom: %q, want %q", got, room)
		}
		who := verified
		who.RoomProgrammeID = c.roomProgramme
		a, err := New("a1", who, p, Rules{}, now)
		if c.ok {
			if err != nil || a.Record().Preferences.RoomID != room {
				t.Errorf("%s: %v %v", c.name, a, err)
			}
			continue
		}
		e, ok := errs.As(err)
		if !ok || len(e.Violations) != 1 || e.Violations[0].Field != "roomId" {
			t.Errorf("%s: %v, want one violation on roomId", c.name, err)
		}
	}
	// No room targeted: nothing to look up.
	if got := TargetRoom(validPreferences()); got != "" {
		t.Errorf("TargetRoom without a room: %q", got)
	}
	if _, err := New("a1", verified, validPreferences(), Rules{}, now); err != nil {
		t.Errorf("no room targeted: %v", err)
	}
}

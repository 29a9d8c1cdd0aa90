package room

import (
	"errors"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func validDetails() Details {
	return Details{
		Title: "Chambre lumineuse", AreaM2: 12, Furnished: true, MonthlyContributionCents: 15000,
		AvailableFrom: date.New(2027, 1, 1), SharedSpaces: []string{"cuisine", " cuisine ", "salon"},
	}
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	rules := Rules{ContributionCapCents: 30000, Formulas: map[string]Formula{"conviviale": {MinCents: 5000, MaxCents: 20000}}}
	cases := []struct {
		name   string
		change func(*Details)
		field  string
	}{
		{"no title", func(d *Details) { d.Title = "" }, "title"},
		{"8.9 m²", func(d *Details) { d.AreaM2 = 8.9 }, "areaM2"},
		{"negative contribution", func(d *Details) { d.MonthlyContributionCents = -1 }, "monthlyContributionCents"},
		{"over the programme cap", func(d *Details) { d.MonthlyContributionCents = 30001 }, "monthlyContributionCents"},
		{"unknown formula", func(d *Details) { d.FormulaID = "luxe" }, "formulaId"},
		{"outside the formula", func(d *Details) { d.FormulaID = "conviviale"; d.MonthlyContributionCents = 25000 }, "monthlyContributionCents"},
		{"no availability", func(d *Details) { d.AvailableFrom = date.Date{} }, "availableFrom"},
		{"ends before it starts", func(d *Details) { d.AvailableUntil = date.New(2026, 12, 1) }, "availableUntil"},
		{"minimum stay of 3 years", func(d *Details) { d.MinStayMonths = 36 }, "minStayMonths"},
		{"floor 100", func(d *Details) { d.Floor = 100 }, "floor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			d := validDetails()
			c.change(&d)
			_, err := New("r1", "p1", "h1", "Lyon", d, rules, now)
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

func TestDefaultCapApplies(t *testing.T) {
	t.Parallel()
	d := validDetails()
	d.MonthlyContributionCents = DefaultContributionCap + 1
	if _, err := New("r1", "p1", "h1", "Lyon", d, Rules{}, now); err == nil {
		t.Fatal("a contribution over the default cap was accepted with unknown programme rules")
	}
	d.MonthlyContributionCents = DefaultContributionCap
	r, err := New("r1", "p1", "h1", "Lyon", d, Rules{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Record().Details.SharedSpaces; len(got) != 2 {
		t.Fatalf("shared spaces not de-duplicated: %v", got)
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	newRoom := func(d Details) *Room {
		r, err := New("r1", "p1", "h1", "Lyon", d, Rules{}, now)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	r := newRoom(validDetails())
	if err := r.Publish(false, now); !errors.Is(err, ErrHostNotVerified) {
		t.Fatalf("publish with unverified host: %v", err)
	}
	if err := r.Reserve(now); !errors.Is(err, ErrTransition) {
		t.Fatalf("reserve a draft: %v", err)
	}
	if err := r.Publish(true, now); err != nil || r.Status() != StatusPublished {
		t.Fatalf("publish: %v, %s", err, r.Status())
	}
	if err := r.Publish(true, now); !errors.Is(err, ErrTransition) {
		t.Fatalf("publish twice: %v", err)
	}
	for _, step := range []struct {
		do   func(time.Time) error
		want Status
	}{{r.Reserve, StatusReserved}, {r.Occupy, StatusOccupied}, {r.Release, StatusPublished}, {r.Reserve, StatusReserved}, {r.Release, StatusPublished}} {
		if err := step.do(now); err != nil || r.Status() != step.want {
			t.Fatalf("want %s: %v (status %s)", step.want, err, r.Status())
		}
	}
	if err := r.Reserve(now); err != nil {
		t.Fatal(err)
	}
	if err := r.Update(validDetails(), Rules{}, now); !errors.Is(err, ErrLocked) {
		t.Fatalf("update reserved room: %v", err)
	}
	if err := r.Withdraw(now); !errors.Is(err, ErrTransition) {
		t.Fatalf("withdraw reserved room: %v", err)
	}

	unfurnished := validDetails()
	unfurnished.Furnished = false
	u := newRoom(unfurnished)
	if err := u.Publish(true, now); !errors.Is(err, ErrNotFurnished) {
		t.Fatalf("publish unfurnished: %v", err)
	}
	if err := u.Withdraw(now); err != nil || u.Status() != StatusWithdrawn {
		t.Fatalf("withdraw draft: %v", err)
	}
	if err := u.Update(validDetails(), Rules{}, now); !errors.Is(err, ErrWithdrawnReadOnly) {
		t.Fatalf("update withdrawn: %v", err)
	}
}

package incident

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/errs"
)

var now = time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)

func TestNewValidates(t *testing.T) {
	t.Parallel()
	ok := Report{Severity: SeverityHigh, Category: "noise", Description: "Musique forte après 23 h"}
	cases := []struct {
		name   string
		change func(*Report)
		field  string
	}{
		{"no severity", func(r *Report) { r.Severity = "" }, "severity"},
		{"unknown severity", func(r *Report) { r.Severity = "UNKNOWN" }, "severity"},
		{"category with spaces", func(r *Report) { r.Category = "loud music" }, "category"},
		{"category too long", func(r *Report) { r.Category = strings.Repeat("A", 31) }, "category"},
		{"no description", func(r *Report) { r.Description = "  " }, "description"},
		{"description too long", func(r *Report) { r.Description = strings.Repeat("à", MaxDescription+1) }, "description"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			rep := ok
			c.change(&rep)
			_, err := New("i", "p", "c", rep, Reporter{Party: "HOST", AccountID: "a"}, now)
			e, isErr := errs.As(err)
			if !isErr || len(e.Violations) == 0 || e.Violations[0].Field != c.field {
				t.Fatalf("want a violation on %s, got %v", c.field, err)
			}
		})
	}
	i, err := New("i", "p", "c", ok, Reporter{}, now)
	if err != nil || i.Record().Category != "NOISE" || i.Status() != StatusOpen {
		t.Fatalf("new: %v %+v", err, i)
	}
	i, err = New("i", "p", "c", Report{Severity: SeverityLow, Description: "x"}, Reporter{}, now)
	if err != nil || i.Record().Category != DefaultCategory {
		t.Fatalf("default category: %v %+v", err, i)
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	newInc := func() *Incident {
		i, err := New("i", "p", "c", Report{Severity: SeverityCritical, Description: "x"}, Reporter{}, now)
		if err != nil {
			t.Fatal(err)
		}
		return i
	}
	i := newInc()
	if err := i.Mediate("coord", now); err != nil || i.Status() != StatusInMediation {
		t.Fatal(err)
	}
	if err := i.Mediate("coord", now); !errors.Is(err, ErrTransition) {
		t.Fatalf("mediating twice: %v", err)
	}
	if err := i.Resolve(" ", "coord", now); err == nil {
		t.Fatal("resolved without a resolution")
	}
	if err := i.Resolve("Médiation réussie", "coord", now); err != nil || i.Status() != StatusResolved || i.Version() != 3 {
		t.Fatal(err)
	}
	if err := i.Resolve("again", "coord", now); !errors.Is(err, ErrTransition) {
		t.Fatalf("resolving twice: %v", err)
	}
	if err := i.Mediate("coord", now); !errors.Is(err, ErrTransition) {
		t.Fatalf("mediating a resolved incident: %v", err)
	}
	i = newInc()
	if err := i.Resolve("Réglé au téléphone", "coord", now); err != nil || i.Status() != StatusResolved {
		t.Fatalf("open → resolved: %v", err)
	}
	if SeverityCritical.Rank() <= SeverityHigh.Rank() || SeverityHigh.Rank() <= SeverityMedium.Rank() || SeverityLow.Rank() != 1 {
		t.Fatal("severity ranks")
	}
}

package contract

import (
	"testing"

	"github.com/cohabit/cohabit/services/platform/date"
)

// TestTerminationCategory: a notice may say its reason's category (what the figures count),
// one of TerminationCategories, or none; anything else is refused naming reasonCategory.
func TestTerminationCategory(t *testing.T) {
	t.Parallel()
	violationOn(t, signed(t).Terminate(Termination{Reason: "x", Category: "BORED", EffectiveDate: date.New(2027, 8, 1), NoticeAt: now}, date.New(2027, 6, 1)), "reasonCategory")
	for _, cat := range append([]string{""}, TerminationCategories...) {
		c := signed(t)
		if err := c.Terminate(Termination{Reason: "x", Category: cat, EffectiveDate: date.New(2027, 8, 1), NoticeAt: now}, date.New(2027, 6, 1)); err != nil {
			t.Fatalf("%q: %v", cat, err)
		}
		if c.Record().Termination.Category != cat {
			t.Fatalf("kept %q, want %q", c.Record().Termination.Category, cat)
		}
	}
}

package webapp

import (
	"testing"
	"time"
)

// The matching service explains a neutral criterion (half its points) with a code; every
// code it sends has words in both languages.
func TestScoreNotesHaveWords(t *testing.T) {
	t.Parallel()
	c := testCatalogue(t)
	fr, en := c.loc("fr", time.UTC), c.loc("en", time.UTC)
	for _, code := range []string{"NO_WISH", "NOT_GIVEN", "UNKNOWN"} {
		if f, e := fr.ScoreNote(code), en.ScoreNote(code); f == code || e == code || f == e {
			t.Errorf("%s: %q / %q", code, f, e)
		}
	}
	if got := en.ScoreNote("SOMETHING_NEW"); got != "SOMETHING_NEW" {
		t.Errorf("an unknown code reads %q, want the code itself", got)
	}
}

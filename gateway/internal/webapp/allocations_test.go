package webapp

import (
	"testing"
)

// TestUnmatchedReasons: the matching service's reasons in words, in each language; codes
// the pages do not know show as they are.
func TestUnmatchedReasons(t *testing.T) {
	t.Parallel()
	c := testCatalogue(t)
	for _, tc := range []struct{ lang, reason, want string }{
		{"fr", "NO_FEASIBLE_ROOM: OVER_BUDGET, TOO_FAR", "aucune chambre ne convient : au-dessus du budget, trop loin du lieu d’études"},
		{"en", "NO_FEASIBLE_ROOM: DATES_DO_NOT_OVERLAP", "no room fits: dates do not overlap"},
		{"fr", "NO_FEASIBLE_ROOM: SMOKING, NEW_RULE", "aucune chambre ne convient : tabac, NEW_RULE"},
		{"fr", "NO_FEASIBLE_ROOM: no room in the pool", "aucune chambre disponible"},
		{"en", "ROOMS_TAKEN: every room this student could take went to another student", "the rooms that fitted went to other students"},
		{"en", "SOMETHING_NEW: details", "SOMETHING_NEW: details"},
	} {
		if got := c.Loc(tc.lang, nil).Unmatched(tc.reason); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.lang, tc.reason, got, tc.want)
		}
	}
}

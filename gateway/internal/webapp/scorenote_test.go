package webapp

import (
	"testing"
	"time"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// The matching service explains a neutral criterion (half its points) with a code; every
// code it sends has words in both languages.
func TestScoreNotesHaveWords(t *testing.T) {
	t.Parallel()
	c := testCatalogue(t)
	fr, en := c.Loc("fr", time.UTC), c.Loc("en", time.UTC)
	for _, code := range []string{"NO_WISH", "NOT_GIVEN", "UNKNOWN"} {
		if f, e := fr.ScoreNote(code), en.ScoreNote(code); f == code || e == code || f == e {
			t.Errorf("%s: %q / %q", code, f, e)
		}
	}
	if got := en.ScoreNote("SOMETHING_NEW"); got != "SOMETHING_NEW" {
		t.Errorf("an unknown code reads %q, want the code itself", got)
	}
}

// An edit form leaves the coordinates empty when the service found them from the commune:
// they are not the person's, and posted empty the address is placed again.
func TestApproximateCoordinatesAreNotPrefilled(t *testing.T) {
	t.Parallel()
	h := &hostsv1.Host{Address: &hostsv1.Address{City: "Lyon", Postcode: "69007", Lat: 45.7452, Lng: 4.842, Approximate: true}}
	if v := HostValues(h); v.Get("lat") != "" || v.Get("lng") != "" || v.Get("postcode") != "69007" {
		t.Errorf("approximate host address prefilled: %v", v)
	}
	h.Address.Approximate = false
	if v := HostValues(h); v.Get("lat") != "45.7452" {
		t.Errorf("her own latitude shows as %q", v.Get("lat"))
	}
	s := &studentsv1.Student{StudyPlace: &studentsv1.StudyPlace{City: "Lyon", Postcode: "69007", Lat: 45.7452, Lng: 4.842, Approximate: true}}
	if v := studentValues(s); v.Get("studyLat") != "" || v.Get("studyPostcode") != "69007" {
		t.Errorf("approximate place of study prefilled: %v", v)
	}
}

package student

import (
	"math"
	"testing"
)

func TestStudyPlaceWithoutCoordinatesGetsTheCommuneCentre(t *testing.T) {
	t.Parallel()
	p := validProfile()
	p.StudyPlace = StudyPlace{City: "Grenoble"}
	s, err := New(p, Registration{ID: "s1", ProgrammeID: "p1", At: now})
	if err != nil {
		t.Fatal(err)
	}
	sp := s.Record().Profile.StudyPlace
	if !sp.Approximate || math.Abs(sp.Lat-45.1885) > 0.02 || math.Abs(sp.Lng-5.7245) > 0.02 {
		t.Fatalf("Grenoble placed at %v,%v (approximate %v)", sp.Lat, sp.Lng, sp.Approximate)
	}
	// A postcode picks the arrondissement; the student's own coordinates stay.
	p.StudyPlace = sp
	p.StudyPlace.City, p.StudyPlace.Postcode = "Paris", "75005"
	if err := s.UpdateProfile(p, now); err != nil {
		t.Fatal(err)
	}
	if sp = s.Record().Profile.StudyPlace; !sp.Approximate || math.Abs(sp.Lat-48.8448) > 0.01 || math.Abs(sp.Lng-2.3471) > 0.01 {
		t.Fatalf("Paris 75005 placed at %v,%v (approximate %v)", sp.Lat, sp.Lng, sp.Approximate)
	}
	p.StudyPlace.Lat, p.StudyPlace.Lng = 48.8462, 2.3448
	if err := s.UpdateProfile(p, now); err != nil {
		t.Fatal(err)
	}
	if sp = s.Record().Profile.StudyPlace; sp.Approximate || sp.Lat != 48.8462 {
		t.Fatalf("given coordinates became %v,%v (approximate %v)", sp.Lat, sp.Lng, sp.Approximate)
	}
}

func TestUnknownStudyPlaceStaysUnplaced(t *testing.T) {
	t.Parallel()
	p := validProfile()
	p.StudyPlace = StudyPlace{City: "Atlantis"}
	s, err := New(p, Registration{ID: "s1", ProgrammeID: "p1", At: now})
	if err != nil {
		t.Fatal(err)
	}
	if sp := s.Record().Profile.StudyPlace; sp.Lat != 0 || sp.Lng != 0 || sp.Approximate {
		t.Fatalf("an unknown city placed at %v,%v (approximate %v)", sp.Lat, sp.Lng, sp.Approximate)
	}
}

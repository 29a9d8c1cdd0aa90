package student

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func validProfile() Profile {
	return Profile{
		DisplayName:  "Léa Dubois",
		BirthDate:    date.New(2004, 6, 1),
		Email:        "lea@example.org",
		Institution:  "Université Lyon 2",
		Studies:      "Sociologie",
		StudyPlace:   StudyPlace{Lat: 45.75, Lng: 4.84, City: "Lyon"},
		MaxCommuteKm: 10,
		Languages:    []string{"fr", "FR", "en"},
		Rhythm:       "LATE",
	}
}

func violationFields(err error) []string {
	e, ok := errs.As(err)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range e.Violations {
		out = append(out, v.Field)
	}
	return out
}

func TestNewValidates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*Profile)
		field  string
	}{
		{"no name", func(p *Profile) { p.DisplayName = "  " }, "displayName"},
		{"name too long", func(p *Profile) { p.DisplayName = strings.Repeat("a", 101) }, "displayName"},
		{"no birth date", func(p *Profile) { p.BirthDate = date.Date{} }, "birthDate"},
		{"born tomorrow", func(p *Profile) { p.BirthDate = date.Of(now).AddDays(1) }, "birthDate"},
		{"aged 5", func(p *Profile) { p.BirthDate = date.New(2021, 1, 1) }, "birthDate"},
		{"born 1850", func(p *Profile) { p.BirthDate = date.New(1850, 1, 1) }, "birthDate"},
		{"no contact", func(p *Profile) { p.Email = ""; p.Phone = "" }, "email"},
		{"bad email", func(p *Profile) { p.Email = "lea@" }, "email"},
		{"bad phone", func(p *Profile) { p.Phone = "call me" }, "phone"},
		{"institution too long", func(p *Profile) { p.Institution = strings.Repeat("x", 201) }, "institution"},
		{"studies too long", func(p *Profile) { p.Studies = strings.Repeat("x", 201) }, "studies"},
		{"no study city", func(p *Profile) { p.StudyPlace.City = "" }, "studyPlace.city"},
		{"latitude out of range", func(p *Profile) { p.StudyPlace.Lat = 91 }, "studyPlace.lat"},
		{"longitude out of range", func(p *Profile) { p.StudyPlace.Lng = -181 }, "studyPlace.lng"},
		{"commute 0 km", func(p *Profile) { p.MaxCommuteKm = 0 }, "maxCommuteKm"},
		{"commute 101 km", func(p *Profile) { p.MaxCommuteKm = 101 }, "maxCommuteKm"},
		{"unknown language", func(p *Profile) { p.Languages = []string{"french"} }, "languages"},
		{"unknown gender", func(p *Profile) { p.Gender = "ROBOT" }, "gender"},
		{"unknown service", func(p *Profile) { p.ServicesOffered = []string{"NURSING"} }, "servicesOffered"},
		{"too many hours", func(p *Profile) { p.HoursOfferedPerWeek = 21 }, "hoursOfferedPerWeek"},
		{"negative hours", func(p *Profile) { p.HoursOfferedPerWeek = -1 }, "hoursOfferedPerWeek"},
		{"eight nights", func(p *Profile) { p.NightsPresentPerWeek = 8 }, "nightsPresentPerWeek"},
		{"unknown rhythm", func(p *Profile) { p.Rhythm = "NOCTURNAL" }, "rhythm"},
		{"motivation too long", func(p *Profile) { p.Motivation = strings.Repeat("é", MaxMotivation+1) }, "motivation"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := validProfile()
			c.change(&p)
			_, err := New(p, Registration{ID: "s1", ProgrammeID: "p1", At: now})
			if errs.CodeOf(err) != errs.Invalid().Code {
				t.Fatalf("want InvalidArgument, got %v", err)
			}
			found := false
			for _, f := range violationFields(err) {
				found = found || f == c.field
			}
			if !found {
				t.Fatalf("want a violation on %s, got %v", c.field, violationFields(err))
			}
		})
	}
}

func TestNewAcceptsAndNormalizes(t *testing.T) {
	t.Parallel()
	p := validProfile()
	p.Email = " Lea@Example.org "
	p.Motivation = strings.Repeat("é", MaxMotivation)
	p.ServicesOffered = []string{"MEALS", "COMPANY", "MEALS"}
	s, err := New(p, Registration{ID: "s1", ProgrammeID: "p1", OwnerAccountID: "a1", At: now})
	if err != nil {
		t.Fatal(err)
	}
	r := s.Record()
	if r.Status != StatusPendingVerification || r.Version != 1 || r.OwnerAccountID != "a1" {
		t.Fatalf("new student: %+v", r)
	}
	if r.Profile.Email != "lea@example.org" || len(r.Profile.Languages) != 2 || len(r.Profile.ServicesOffered) != 2 {
		t.Fatalf("profile not normalised: %+v", r.Profile)
	}
}

func TestVerifyAge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		birth   date.Date
		setting int
		want    error
	}{
		{"29, turning 30 tomorrow", date.New(1996, 11, 26), 0, nil},
		{"30 today", date.New(1996, 11, 25), 0, ErrTooOld},
		{"31", date.New(1995, 1, 1), 30, ErrTooOld},
		{"20", date.New(2006, 1, 1), 30, nil},
		{"programme lowers to 28: 27 ok", date.New(1999, 1, 1), 28, nil},
		{"programme lowers to 28: 28 refused", date.New(1998, 1, 1), 28, ErrTooOld},
		{"programme cannot raise above the law", date.New(1996, 1, 1), 35, ErrTooOld},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := validProfile()
			p.BirthDate = c.birth
			s, err := New(p, Registration{ID: "s1", ProgrammeID: "p1", At: now})
			if err != nil {
				t.Fatal(err)
			}
			err = s.Verify("coord", c.setting, now)
			if c.want == nil {
				if err != nil || s.Status() != StatusVerified {
					t.Fatalf("verify: %v, status %s", err, s.Status())
				}
				return
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("want %v, got %v", c.want, err)
			}
			e, _ := errs.As(err)
			limit := MaxAge(c.setting)
			age := s.AgeOn(date.Of(now))
			if !strings.Contains(e.Message, fmt.Sprintf("is %d", age)) || !strings.Contains(e.Message, fmt.Sprintf("under %d", limit)) {
				t.Fatalf("message %q must say the age %d and the limit %d", e.Message, age, limit)
			}
			if s.Status() != StatusPendingVerification {
				t.Fatalf("status %s after a refused verification", s.Status())
			}
		})
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	type step struct {
		name string
		do   func(*Student) error
		ok   bool
		want Status
	}
	verify := func(s *Student) error { return s.Verify("c", 0, now) }
	place := func(s *Student) error { return s.Place(now) }
	release := func(s *Student) error { return s.Release(false, now) }
	graduate := func(s *Student) error { return s.Release(true, now) }
	archive := func(s *Student) error { return s.Archive(false, now) }
	steps := []step{
		{"place before verify", place, false, StatusPendingVerification},
		{"release before placement", release, false, StatusPendingVerification},
		{"verify", verify, true, StatusVerified},
		{"verify twice", verify, false, StatusVerified},
		{"place", place, true, StatusPlaced},
		{"place twice", place, false, StatusPlaced},
		{"archive while placed", archive, false, StatusPlaced},
		{"release to the pool", release, true, StatusVerified},
		{"place again", place, true, StatusPlaced},
		{"leave as alumni", graduate, true, StatusAlumni},
		{"archive alumni", archive, false, StatusAlumni},
		{"place alumni", place, false, StatusAlumni},
	}
	s, _ := New(validProfile(), Registration{ID: "s1", ProgrammeID: "p1", At: now})
	version := s.Version()
	for _, st := range steps {
		err := st.do(s)
		if st.ok && err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !st.ok && !errors.Is(err, ErrTransition) {
			t.Fatalf("%s: want ErrTransition, got %v", st.name, err)
		}
		if s.Status() != st.want {
			t.Fatalf("%s: status %s, want %s", st.name, s.Status(), st.want)
		}
		if st.ok && s.Version() != version+1 {
			t.Fatalf("%s: version %d, want %d", st.name, s.Version(), version+1)
		}
		version = s.Version()
	}
}

func TestArchive(t *testing.T) {
	t.Parallel()
	for _, verified := range []bool{false, true} {
		s, _ := New(validProfile(), Registration{ID: "s1", ProgrammeID: "p1", At: now})
		if verified {
			if err := s.Verify("c", 0, now); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Archive(true, now); !errors.Is(err, ErrOpenApplication) {
			t.Fatalf("archive with an open application: %v", err)
		}
		if err := s.Archive(false, now); err != nil || s.Status() != StatusArchived {
			t.Fatalf("archive (verified %v): %v", verified, err)
		}
		if err := s.UpdateProfile(validProfile(), now); !errors.Is(err, ErrArchived) {
			t.Fatalf("update archived: %v", err)
		}
		if err := s.Archive(false, now); !errors.Is(err, ErrTransition) {
			t.Fatalf("archive twice: %v", err)
		}
	}
}

func TestClaim(t *testing.T) {
	t.Parallel()
	s := FromRecord(Record{ID: "s1", ProgrammeID: "demo", Status: StatusPendingVerification, Version: 1})
	if changed, err := s.Claim("a1", time.Now()); err != nil || !changed || s.OwnerAccountID() != "a1" || s.Version() != 2 {
		t.Fatalf("claim: %v %v %+v", changed, err, s.Record())
	}
	if changed, err := s.Claim("a1", time.Now()); err != nil || changed || s.Version() != 2 {
		t.Fatalf("claim again: %v %v", changed, err)
	}
	if _, err := s.Claim("a2", time.Now()); !errors.Is(err, ErrClaimed) {
		t.Fatalf("second owner: %v", err)
	}
}

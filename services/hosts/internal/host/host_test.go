package host

import (
	"errors"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

var now = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func validProfile() Profile {
	return Profile{
		DisplayName: "Jeanne Martin",
		BirthDate:   date.New(1948, 3, 12),
		Phone:       "+33 4 78 00 00 00",
		Address:     Address{Line1: "3 rue des Lilas", Postcode: "69003", City: "Lyon", Lat: 45.76, Lng: 4.85},
		Languages:   []string{"fr", "FR", "en"},
		Rhythm:      "EARLY",
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
		change func(*Profile, *Registration)
		field  string
	}{
		{"no name", func(p *Profile, _ *Registration) { p.DisplayName = "  " }, "displayName"},
		{"no birth date", func(p *Profile, _ *Registration) { p.BirthDate = date.Date{} }, "birthDate"},
		{"born tomorrow", func(p *Profile, _ *Registration) { p.BirthDate = date.Of(now).AddDays(1) }, "birthDate"},
		{"no contact", func(p *Profile, _ *Registration) { p.Phone = ""; p.Email = "" }, "phone"},
		{"bad email", func(p *Profile, _ *Registration) { p.Email = "jeanne@" }, "email"},
		{"bad phone", func(p *Profile, _ *Registration) { p.Phone = "call me" }, "phone"},
		{"no city", func(p *Profile, _ *Registration) { p.Address.City = "" }, "address.city"},
		{"latitude out of range", func(p *Profile, _ *Registration) { p.Address.Lat = 91 }, "address.lat"},
		{"unknown language", func(p *Profile, _ *Registration) { p.Languages = []string{"french"} }, "languages"},
		{"unknown service", func(p *Profile, _ *Registration) { p.ServicesWanted = []string{"NURSING"} }, "servicesWanted"},
		{"too many hours", func(p *Profile, _ *Registration) { p.HoursWantedPerWeek = 35 }, "hoursWantedPerWeek"},
		{"eight nights", func(p *Profile, _ *Registration) { p.NightsWantedPerWeek = 8 }, "nightsWantedPerWeek"},
		{"unknown rhythm", func(p *Profile, _ *Registration) { p.Rhythm = "NOCTURNAL" }, "rhythm"},
		{"assisted without consent", func(_ *Profile, r *Registration) { r.Assisted = true; r.ConsentRecorded = false }, "consentRecorded"},
		{"assisted without phone", func(p *Profile, r *Registration) {
			r.Assisted = true
			r.ConsentRecorded = true
			p.Phone = ""
			p.Email = "j@example.org"
		}, "phone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := validProfile()
			reg := Registration{ID: "h1", ProgrammeID: "p1", At: now}
			c.change(&p, &reg)
			_, err := New(p, reg)
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

func TestNewNormalizes(t *testing.T) {
	t.Parallel()
	h, err := New(validProfile(), Registration{ID: "h1", ProgrammeID: "p1", At: now})
	if err != nil {
		t.Fatal(err)
	}
	r := h.Record()
	if r.Status != StatusPendingVerification || r.Version != 1 {
		t.Fatalf("new host: status %s version %d", r.Status, r.Version)
	}
	if len(r.Profile.Languages) != 2 || r.Profile.Languages[0] != "fr" || r.Profile.Languages[1] != "en" {
		t.Fatalf("languages not normalised: %v", r.Profile.Languages)
	}
}

func TestVerifyAge(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		birth  date.Date
		minAge int
		want   error
	}{
		{"60 today", date.New(1966, 11, 25), 60, nil},
		{"60 tomorrow", date.New(1966, 11, 26), 60, ErrTooYoung},
		{"78", date.New(1948, 3, 12), 60, nil},
		{"programme asks 65", date.New(1963, 1, 1), 65, ErrTooYoung},
		{"programme cannot go below the law", date.New(1970, 1, 1), 50, ErrTooYoung},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := validProfile()
			p.BirthDate = c.birth
			h, err := New(p, Registration{ID: "h1", ProgrammeID: "p1", At: now})
			if err != nil {
				t.Fatal(err)
			}
			err = h.Verify("coord", c.minAge, now)
			if c.want == nil && err != nil {
				t.Fatalf("verify: %v", err)
			}
			if c.want != nil && !errors.Is(err, c.want) {
				t.Fatalf("want %v, got %v", c.want, err)
			}
			if c.want == nil && h.Status() != StatusVerified {
				t.Fatalf("status %s after verify", h.Status())
			}
		})
	}
}

func TestVerifyTenantMustHaveInformedLandlord(t *testing.T) {
	t.Parallel()
	p := validProfile()
	p.IsTenant = true
	h, _ := New(p, Registration{ID: "h1", ProgrammeID: "p1", At: now})
	if err := h.Verify("c", 60, now); !errors.Is(err, ErrLandlord) {
		t.Fatalf("want ErrLandlord, got %v", err)
	}
	p.LandlordInformed = true
	if err := h.UpdateProfile(p, now); err != nil {
		t.Fatal(err)
	}
	if err := h.Verify("c", 60, now); err != nil {
		t.Fatalf("verify after landlord informed: %v", err)
	}
}

func TestLifecycle(t *testing.T) {
	t.Parallel()
	type step struct {
		name string
		do   func(*Host) error
		ok   bool
		want Status
	}
	verify := func(h *Host) error { return h.Verify("c", 60, now) }
	suspend := func(h *Host) error { return h.Suspend("hospital stay", now) }
	reinstate := func(h *Host) error { return h.Reinstate(now) }
	archive := func(h *Host) error { return h.Archive(0, now) }
	steps := []step{
		{"reinstate before verify", reinstate, false, StatusPendingVerification},
		{"archive before verify", archive, false, StatusPendingVerification},
		{"suspend before verify", suspend, false, StatusPendingVerification},
		{"verify", verify, true, StatusVerified},
		{"verify twice", verify, false, StatusVerified},
		{"suspend", suspend, true, StatusSuspended},
		{"archive while suspended", archive, false, StatusSuspended},
		{"reinstate", reinstate, true, StatusVerified},
		{"archive", archive, true, StatusArchived},
		{"reinstate archived", reinstate, false, StatusArchived},
	}
	h, _ := New(validProfile(), Registration{ID: "h1", ProgrammeID: "p1", At: now})
	version := h.Version()
	for _, s := range steps {
		err := s.do(h)
		if s.ok && err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if !s.ok && !errors.Is(err, ErrTransition) {
			t.Fatalf("%s: want ErrTransition, got %v", s.name, err)
		}
		if h.Status() != s.want {
			t.Fatalf("%s: status %s, want %s", s.name, h.Status(), s.want)
		}
		if s.ok && h.Version() != version+1 {
			t.Fatalf("%s: version %d, want %d", s.name, h.Version(), version+1)
		}
		version = h.Version()
	}
	if err := h.UpdateProfile(validProfile(), now); !errors.Is(err, ErrArchived) {
		t.Fatalf("update archived: %v", err)
	}
	if err := (&Host{r: Record{Status: StatusVerified}}).Suspend(" ", now); errs.CodeOf(err) != errs.Invalid().Code {
		t.Fatalf("suspend without reason: %v", err)
	}
}

// A host with a room reserved or occupied stays: her stay is ended or cancelled first.
func TestArchiveDuringAStay(t *testing.T) {
	t.Parallel()
	h, _ := New(validProfile(), Registration{ID: "h1", ProgrammeID: "p1", At: now})
	if err := h.Verify("c", 60, now); err != nil {
		t.Fatal(err)
	}
	version := h.Version()
	if err := h.Archive(1, now); !errors.Is(err, ErrStayUnderWay) {
		t.Fatalf("archive with a room in a stay: %v", err)
	}
	if h.Status() != StatusVerified || h.Version() != version {
		t.Fatalf("refused, yet changed: %s v%d", h.Status(), h.Version())
	}
	if err := h.Archive(0, now); err != nil || h.Status() != StatusArchived {
		t.Fatalf("archive once the stay is over: %v %s", err, h.Status())
	}
}

func TestGuardianship(t *testing.T) {
	t.Parallel()
	rep := Representative{Name: "Claire Martin", Phone: "+33 6 00 00 00 00", Relationship: "fille"}
	cases := []struct {
		name   string
		g      string
		rep    Representative
		fields []string
	}{
		{"none", "", Representative{}, nil},
		{"tutelle with representative", "TUTELLE", rep, nil},
		{"curatelle reached by email", "CURATELLE", Representative{Name: "UDAF 69", Email: "Mandataire@UDAF69.fr", Relationship: "mandataire judiciaire"}, nil},
		{"tutelle without representative", "TUTELLE", Representative{}, []string{"legalRepresentative.name", "legalRepresentative.relationship", "legalRepresentative.phone"}},
		{"curatelle without contact", "CURATELLE", Representative{Name: "Claire", Relationship: "fille"}, []string{"legalRepresentative.phone"}},
		{"bad representative email", "TUTELLE", Representative{Name: "Claire", Relationship: "fille", Email: "claire@"}, []string{"legalRepresentative.email"}},
		{"unknown measure", "SAUVEGARDE", rep, []string{"guardianship"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p := validProfile()
			p.Guardianship, p.LegalRepresentative = c.g, c.rep
			h, err := New(p, Registration{ID: "h1", ProgrammeID: "demo", OwnerAccountID: "a1", At: now})
			got := violationFields(err)
			if len(got) != len(c.fields) {
				t.Fatalf("violations %v, want %v (%v)", got, c.fields, err)
			}
			for i := range got {
				if got[i] != c.fields[i] {
					t.Fatalf("violations %v, want %v", got, c.fields)
				}
			}
			if err == nil && c.rep.Email != "" && h.Record().Profile.LegalRepresentative.Email != "mandataire@udaf69.fr" {
				t.Fatalf("email not normalised: %+v", h.Record().Profile.LegalRepresentative)
			}
		})
	}

	// Lifting the measure clears the representative; NONE reads as none.
	p := validProfile()
	p.Guardianship, p.LegalRepresentative = "TUTELLE", rep
	h, err := New(p, Registration{ID: "h1", ProgrammeID: "demo", OwnerAccountID: "a1", At: now})
	if err != nil {
		t.Fatal(err)
	}
	p.Guardianship = "NONE"
	if err := h.UpdateProfile(p, now); err != nil {
		t.Fatal(err)
	}
	if got := h.Record().Profile; got.Guardianship != "" || got.LegalRepresentative != (Representative{}) {
		t.Fatalf("after lifting: %q %+v", got.Guardianship, got.LegalRepresentative)
	}
}

func TestClaim(t *testing.T) {
	t.Parallel()
	h, err := New(validProfile(), Registration{ID: "h1", ProgrammeID: "demo", Assisted: true, ConsentRecorded: true, RegisteredBy: "c1", At: now})
	if err != nil {
		t.Fatal(err)
	}
	if changed, err := h.Claim("a1", now); err != nil || !changed || h.OwnerAccountID() != "a1" || h.Version() != 2 {
		t.Fatalf("claim: %v %v %+v", changed, err, h.Record())
	}
	if changed, err := h.Claim("a1", now); err != nil || changed || h.Version() != 2 {
		t.Fatalf("claim again: %v %v", changed, err)
	}
	if _, err := h.Claim("a2", now); !errors.Is(err, ErrClaimed) {
		t.Fatalf("second owner: %v", err)
	}
}

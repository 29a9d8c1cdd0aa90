package programme

import (
	"errors"
	"slices"
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func validFields() Fields {
	return Fields{Name: "Lyon Solidaire", Territory: "Lyon", Phone: "+33 4 78 00 00 00", Email: "contact@lyon.example", Settings: DefaultSettings()}
}

// fieldsOf returns the fields named by err's violations, failing unless err is Invalid.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Code != codes.InvalidArgument {
		t.Fatalf("want InvalidArgument, got %v", err)
	}
	var out []string
	for _, v := range e.Violations {
		out = append(out, v.Field)
	}
	return out
}

func TestDefaultSettingsAreValid(t *testing.T) {
	t.Parallel()
	p, err := New("lyon", validFields(), t0)
	if err != nil {
		t.Fatalf("defaults refused: %v", err)
	}
	s := p.Settings()
	if s.HostMinAge != 60 || s.StudentMaxAge != 30 || s.ContributionCapCents != 35000 || s.NoticeDays != 30 {
		t.Fatalf("defaults are not the legal frame: %+v", s)
	}
	var ids []string
	for _, f := range s.Formulas {
		ids = append(ids, f.ID)
	}
	if !slices.Equal(ids, []string{"solidaire", "conviviale", "independante"}) {
		t.Fatalf("formula ids %v", ids)
	}
	if p.Version() != 1 || p.Etag() != etag.Of(1) {
		t.Fatalf("version %d etag %q", p.Version(), p.Etag())
	}
}

func TestNewRefusesSettingsThatLoosenTheLaw(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*Settings)
		field string
	}{
		{"younger hosts", func(s *Settings) { s.HostMinAge = 59 }, "settings.hostMinAge"},
		{"older students", func(s *Settings) { s.StudentMaxAge = 31 }, "settings.studentMaxAge"},
		{"no cap", func(s *Settings) { s.ContributionCapCents = 0 }, "settings.contributionCapCents"},
		{"negative cap", func(s *Settings) { s.ContributionCapCents = -1 }, "settings.contributionCapCents"},
		{"notice under a month", func(s *Settings) { s.NoticeDays = 29 }, "settings.noticeDays"},
		{"trial notice longer than notice", func(s *Settings) { s.TrialNoticeDays = 31 }, "settings.trialNoticeDays"},
		{"check-ins out of order", func(s *Settings) { s.CheckinFirstDays = []int{30, 7} }, "settings.checkinFirstDays[1]"},
		{"check-ins stop", func(s *Settings) { s.CheckinIntervalDays = 0 }, "settings.checkinIntervalDays"},
		{"no formula", func(s *Settings) { s.Formulas = nil }, "settings.formulas"},
		{"formula above cap", func(s *Settings) { s.Formulas[2].MaxContributionCents = 40000 }, "settings.formulas[2].maxContributionCents"},
		{"formula min above max", func(s *Settings) { s.Formulas[1].MinContributionCents = 25000 }, "settings.formulas[1].maxContributionCents"},
		{"formula negative min", func(s *Settings) { s.Formulas[0].MinContributionCents = -5 }, "settings.formulas[0].minContributionCents"},
		{"formula duplicate id", func(s *Settings) { s.Formulas[1].ID = "solidaire" }, "settings.formulas[1].id"},
		{"formula eight evenings", func(s *Settings) { s.Formulas[0].EveningsPerWeek = 8 }, "settings.formulas[0].eveningsPerWeek"},
		{"formula is a job", func(s *Settings) { s.Formulas[0].HoursPerWeek = 35 }, "settings.formulas[0].hoursPerWeek"},
		{"formula without name", func(s *Settings) { s.Formulas[0].Name = "  " }, "settings.formulas[0].name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := validFields()
			c.edit(&f.Settings)
			_, err := New("lyon", f, t0)
			if got := fieldsOf(t, err); !slices.Contains(got, c.field) {
				t.Fatalf("violations %v do not name %s", got, c.field)
			}
		})
	}
}

func TestNewAcceptsSettingsThatTightenTheLaw(t *testing.T) {
	t.Parallel()
	f := validFields()
	f.Settings.HostMinAge = 65
	f.Settings.StudentMaxAge = 28
	f.Settings.NoticeDays = 60
	f.Settings.ContributionCapCents = 30000
	f.Settings.Formulas[2].MaxContributionCents = 30000
	f.Settings.TrialDays = 0
	f.Settings.TrialNoticeDays = 0
	if _, err := New("lyon", f, t0); err != nil {
		t.Fatal(err)
	}
}

func TestNewRefusesBadFields(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		id    string
		edit  func(*Fields)
		field string
	}{
		{"id with capitals", "Lyon", func(*Fields) {}, "id"},
		{"no name", "lyon", func(f *Fields) { f.Name = " " }, "name"},
		{"no territory", "lyon", func(f *Fields) { f.Territory = "" }, "territory"},
		{"bad email", "lyon", func(f *Fields) { f.Email = "not an email" }, "email"},
		{"bad phone", "lyon", func(f *Fields) { f.Phone = "call us" }, "phone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			f := validFields()
			c.edit(&f)
			_, err := New(c.id, f, t0)
			if got := fieldsOf(t, err); !slices.Contains(got, c.field) {
				t.Fatalf("violations %v do not name %s", got, c.field)
			}
		})
	}
}

func TestWithDefaultsFillsOnlyZeroValues(t *testing.T) {
	t.Parallel()
	s := Settings{HostMinAge: 70, Formulas: []Formula{{ID: "x", Name: "X", MaxContributionCents: 100}}}.WithDefaults()
	if s.HostMinAge != 70 || s.StudentMaxAge != 30 || len(s.Formulas) != 1 || s.NoticeDays != 30 {
		t.Fatalf("got %+v", s)
	}
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	later := t0.Add(time.Hour)
	cases := []struct {
		name  string
		etag  string
		in    func(*Fields)
		paths []string
		check func(*testing.T, *Programme, error)
	}{
		{
			name: "one setting, others kept", etag: etag.Of(1),
			in: func(f *Fields) { f.Settings = Settings{HostMinAge: 65} }, paths: []string{"settings.hostMinAge"},
			check: func(t *testing.T, p *Programme, err error) {
				if err != nil {
					t.Fatal(err)
				}
				s := p.Settings()
				if s.HostMinAge != 65 || s.StudentMaxAge != 30 || len(s.Formulas) != 3 {
					t.Fatalf("settings %+v", s)
				}
				if p.Version() != 2 || !p.UpdateTime().Equal(later) {
					t.Fatalf("version %d updated %v", p.Version(), p.UpdateTime())
				}
			},
		},
		{
			name: "zero named is set", in: func(f *Fields) { f.Settings = Settings{} }, paths: []string{"settings.trialDays", "settings.trialNoticeDays"},
			check: func(t *testing.T, p *Programme, err error) {
				if err != nil || p.Settings().TrialDays != 0 {
					t.Fatalf("err %v trial %d", err, p.Settings().TrialDays)
				}
			},
		},
		{
			name: "name, unnamed territory kept", in: func(f *Fields) { f.Name = " New name "; f.Territory = "" }, paths: []string{"name"},
			check: func(t *testing.T, p *Programme, err error) {
				if err != nil || p.Fields().Name != "New name" || p.Fields().Territory != "Lyon" {
					t.Fatalf("err %v fields %+v", err, p.Fields())
				}
			},
		},
		{
			name: "stale etag", etag: etag.Of(7), in: func(f *Fields) { f.Name = "X" }, paths: []string{"name"},
			check: func(t *testing.T, p *Programme, err error) {
				if !errors.Is(err, etag.ErrStale) || errs.CodeOf(err) != codes.Aborted {
					t.Fatalf("want Aborted stale etag, got %v", err)
				}
			},
		},
		{
			name: "loosening refused, nothing changed", in: func(f *Fields) { f.Name = "X"; f.Settings.NoticeDays = 10 }, paths: []string{"name", "settings.noticeDays"},
			check: func(t *testing.T, p *Programme, err error) {
				if got := fieldsOf(t, err); !slices.Contains(got, "settings.noticeDays") {
					t.Fatalf("violations %v", got)
				}
				if p.Fields().Name != "Lyon Solidaire" || p.Version() != 1 {
					t.Fatalf("changed on error: %+v", p.Fields())
				}
			},
		},
		{
			name: "unknown path", in: func(*Fields) {}, paths: []string{"settings.colour"},
			check: func(t *testing.T, _ *Programme, err error) {
				if got := fieldsOf(t, err); !slices.Equal(got, []string{"updateMask"}) {
					t.Fatalf("violations %v", got)
				}
			},
		},
		{
			name: "empty mask", in: func(*Fields) {}, paths: nil,
			check: func(t *testing.T, _ *Programme, err error) {
				if got := fieldsOf(t, err); !slices.Equal(got, []string{"updateMask"}) {
					t.Fatalf("violations %v", got)
				}
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			p, err := New("lyon", validFields(), t0)
			if err != nil {
				t.Fatal(err)
			}
			in := validFields()
			c.in(&in)
			c.check(t, p, p.Update(c.etag, in, c.paths, later))
		})
	}
}

func TestFieldsAreCopies(t *testing.T) {
	t.Parallel()
	p, _ := New("lyon", validFields(), t0)
	s := p.Settings()
	s.Formulas[0].MaxContributionCents = 999999
	s.CheckinFirstDays[0] = 1000
	if got := p.Settings(); got.Formulas[0].MaxContributionCents != 0 || got.CheckinFirstDays[0] != 7 {
		t.Fatalf("programme changed through a copy: %+v", got)
	}
}

// Package programme holds a homesharing programme and its settings: the legal frame (CCH art.
// L631-17) as one association tightens it for its territory.
package programme

import (
	"net/mail"
	"regexp"
	"strings"
	"time"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
)

// Sentinel errors; they carry their kind for the API.
var (
	// ErrNotFound: no programme has that id.
	ErrNotFound = errs.NotFound("PROGRAMME_NOT_FOUND", "programme not found")
	// ErrExists: a programme already has that id.
	ErrExists = errs.AlreadyExists("PROGRAMME_EXISTS", "a programme with this id already exists")
)

// Fields are what a caller may set on a programme.
type Fields struct {
	Name      string
	Territory string
	Phone     string
	Email     string
	Settings  Settings
}

// Programme is one association's programme on one territory. Its zero value is not usable: get
// one from New or Restore.
type Programme struct {
	id         string
	fields     Fields
	version    int64
	createTime time.Time
	updateTime time.Time
}

var (
	idRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)
	phoneRE = regexp.MustCompile(`^\+?[0-9][0-9 .()-]{5,29}$`)
)

// New returns a valid programme, or errs.Invalid naming every bad field. Settings are taken as
// given: apply Settings.WithDefaults first for a create where unset means default.
func New(id string, f Fields, now time.Time) (*Programme, error) {
	var v errs.Violations
	v.Check(idRE.MatchString(id), "id", "must be 1 to 63 lower-case letters, digits or dashes")
	f = f.normalised()
	f.validate(&v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	now = instant(now)
	return &Programme{id: id, fields: f, version: 1, createTime: now, updateTime: now}, nil
}

func (f Fields) normalised() Fields {
	f.Name = strings.TrimSpace(f.Name)
	f.Territory = strings.TrimSpace(f.Territory)
	f.Phone = strings.TrimSpace(f.Phone)
	f.Email = strings.ToLower(strings.TrimSpace(f.Email))
	f.Settings = f.Settings.clone()
	f.Settings.Association = f.Settings.Association.normalised()
	for i := range f.Settings.Formulas {
		f.Settings.Formulas[i].Name = strings.TrimSpace(f.Settings.Formulas[i].Name)
	}
	return f
}

func (f Fields) validate(v *errs.Violations) {
	v.Check(f.Name != "" && len(f.Name) <= maxNameLen, "name", "is required (at most %d characters)", maxNameLen)
	v.Check(f.Territory != "" && len(f.Territory) <= maxNameLen, "territory", "is required (at most %d characters)", maxNameLen)
	v.Check(f.Phone == "" || phoneRE.MatchString(f.Phone), "phone", "is not a phone number")
	if f.Email != "" {
		a, err := mail.ParseAddress(f.Email)
		v.Check(err == nil && a.Address == f.Email && len(f.Email) <= 254, "email", "is not an email address")
	}
	f.Settings.validate(v)
}

// Paths a caller may name in an update, in the API's lowerCamelCase.
const (
	PathName      = "name"
	PathTerritory = "territory"
	PathPhone     = "phone"
	PathEmail     = "email"
	PathSettings  = "settings"
)

// settingPaths copy one setting from src to dst, keyed by "settings.<field>".
var settingPaths = map[string]func(dst *Settings, src Settings){
	"settings.hostMinAge":           func(d *Settings, s Settings) { d.HostMinAge = s.HostMinAge },
	"settings.studentMaxAge":        func(d *Settings, s Settings) { d.StudentMaxAge = s.StudentMaxAge },
	"settings.contributionCapCents": func(d *Settings, s Settings) { d.ContributionCapCents = s.ContributionCapCents },
	"settings.noticeDays":           func(d *Settings, s Settings) { d.NoticeDays = s.NoticeDays },
	"settings.trialDays":            func(d *Settings, s Settings) { d.TrialDays = s.TrialDays },
	"settings.trialNoticeDays":      func(d *Settings, s Settings) { d.TrialNoticeDays = s.TrialNoticeDays },
	"settings.checkinFirstDays":     func(d *Settings, s Settings) { d.CheckinFirstDays = s.CheckinFirstDays },
	"settings.checkinIntervalDays":  func(d *Settings, s Settings) { d.CheckinIntervalDays = s.CheckinIntervalDays },
	"settings.checkinGraceDays":     func(d *Settings, s Settings) { d.CheckinGraceDays = s.CheckinGraceDays },
	"settings.proposalExpiryDays":   func(d *Settings, s Settings) { d.ProposalExpiryDays = s.ProposalExpiryDays },
	"settings.formulas":             func(d *Settings, s Settings) { d.Formulas = s.Formulas },
	"settings.association":          func(d *Settings, s Settings) { d.Association = s.Association },
	"settings.hostRequiredDocuments": func(d *Settings, s Settings) {
		d.HostRequiredDocuments = s.HostRequiredDocuments
	},
	"settings.studentRequiredDocuments": func(d *Settings, s Settings) {
		d.StudentRequiredDocuments = s.StudentRequiredDocuments
	},
	"settings.documentWarningDays": func(d *Settings, s Settings) { d.DocumentWarningDays = s.DocumentWarningDays },
	"settings.retentionMonths":     func(d *Settings, s Settings) { d.RetentionMonths = s.RetentionMonths },
}

// Update applies the fields of in that paths name, when sentEtag is the current one (or empty, for
// a caller who does not guard against concurrent changes). Naming a path sets it, zero values
// included: that is how a caller sets a trial period of 0 days.
// Errors: etag.ErrStale (Aborted), errs.Invalid for unknown paths or a result that breaks the
// rules; the programme is unchanged on error.
func (p *Programme) Update(sentEtag string, in Fields, paths []string, now time.Time) error {
	if err := etag.Check(sentEtag, int(p.version)); err != nil {
		return err
	}
	var v errs.Violations
	if len(paths) == 0 {
		v.Add("updateMask", "name at least one field to change")
	}
	next := p.fields
	next.Settings = next.Settings.clone()
	for _, path := range paths {
		switch path {
		case PathName:
			next.Name = in.Name
		case PathTerritory:
			next.Territory = in.Territory
		case PathPhone:
			next.Phone = in.Phone
		case PathEmail:
			next.Email = in.Email
		case PathSettings:
			next.Settings = in.Settings
		default:
			set, ok := settingPaths[path]
			if !ok {
				v.Add("updateMask", "%q is not a field that can be changed", path)
				continue
			}
			set(&next.Settings, in.Settings)
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	next = next.normalised()
	next.validate(&v)
	if err := v.Err(); err != nil {
		return err
	}
	p.fields = next
	p.version++
	p.updateTime = instant(now)
	return nil
}

// ID returns the programme's id.
func (p *Programme) ID() string { return p.id }

// Fields returns a copy of what the programme's callers set.
func (p *Programme) Fields() Fields {
	f := p.fields
	f.Settings = f.Settings.clone()
	return f
}

// Settings returns a copy of the programme's settings.
func (p *Programme) Settings() Settings { return p.fields.Settings.clone() }

// Version counts the programme's changes; it starts at 1.
func (p *Programme) Version() int64 { return p.version }

// Etag identifies this version for optimistic concurrency.
func (p *Programme) Etag() string { return etag.Of(int(p.version)) }

// CreateTime returns when the programme was created.
func (p *Programme) CreateTime() time.Time { return p.createTime }

// UpdateTime returns when the programme last changed.
func (p *Programme) UpdateTime() time.Time { return p.updateTime }

// Snapshot is a programme's whole state, for the store.
type Snapshot struct {
	ID         string
	Fields     Fields
	Version    int64
	CreateTime time.Time
	UpdateTime time.Time
}

// Snapshot returns the programme's state for storage.
func (p *Programme) Snapshot() Snapshot {
	return Snapshot{ID: p.id, Fields: p.Fields(), Version: p.version, CreateTime: p.createTime, UpdateTime: p.updateTime}
}

// Restore rebuilds a programme the store read. It does not validate: what was valid when
// written stays valid, even if a later release tightens a rule.
func Restore(s Snapshot) *Programme {
	s.Fields.Settings = s.Fields.Settings.clone()
	return &Programme{id: s.ID, fields: s.Fields, version: s.Version, createTime: s.CreateTime, updateTime: s.UpdateTime}
}

// instant is how times are kept: UTC, to the microsecond, as PostgreSQL stores them, so that
// what a change returns equals what a later read returns.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

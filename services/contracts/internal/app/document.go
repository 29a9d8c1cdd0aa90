package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/document"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
)

// Directory reads the parties' details a contract's document prints — names, birth dates,
// addresses, phones, emails, the host's legal representative — from the hosts and students
// services when the document is rendered. They are personal data: no event carries them, and
// this service keeps no copy.
type Directory interface {
	// Host returns host id's details. Errors: the call's.
	Host(ctx context.Context, id string) (document.Host, error)
	// Student returns student id's details. Errors: the call's.
	Student(ctx context.Context, id string) (document.Student, error)
}

// WithDirectory makes the documents print the parties' details read from d (nil: only the
// names this service knows, and blanks to fill in by hand). It returns a.
func (a *App) WithDirectory(d Directory, log *slog.Logger) *App {
	a.directory, a.log = d, log
	return a
}

// Document is a rendered contract with the name it downloads under.
type Document struct {
	Content  []byte
	Filename string
}

// ContractDocument renders a contract its caller may see as a PDF, in language ("fr", the
// default and the signed original, or "en"). A party's details that cannot be read (her
// service down) print as blanks to fill in by hand rather than failing the print: the
// coordinator at a host's kitchen table still gets a contract to sign. Errors: NotFound.
func (a *App) ContractDocument(ctx context.Context, id, language string) (Document, error) {
	v, err := a.GetContract(ctx, id)
	if err != nil {
		return Document{}, err
	}
	st, _, err := a.store.Programme(ctx, v.Contract.ProgrammeID())
	if err != nil {
		return Document{}, err
	}
	in := DocumentInput(v, st, language)
	if a.directory != nil {
		if h, err := a.directory.Host(ctx, v.Contract.HostID()); err == nil {
			h.Assisted = in.Host.Assisted
			in.Host = h
		} else {
			a.logMissing("host", v.Contract.ID(), err)
		}
		if s, err := a.directory.Student(ctx, v.Contract.StudentID()); err == nil {
			in.Student = s
		} else {
			a.logMissing("student", v.Contract.ID(), err)
		}
	}
	pdf, err := document.Render(in)
	if err != nil {
		return Document{}, err
	}
	return Document{Content: pdf, Filename: document.Filename(in.Reference)}, nil
}

func (a *App) logMissing(party, contractID string, err error) {
	if a.log == nil || errors.Is(err, context.Canceled) {
		return
	}
	a.log.Warn("contract document without the party's details", "party", party, "contract", contractID, "err", fmt.Sprint(err))
}

// DocumentInput is what the document of v prints from this service's own knowledge: the
// terms, the signatures, the notice, the programme's identity and formulas from its settings
// st (nil when they have not arrived), and the parties' names. The parties' other details
// come from a Directory.
func DocumentInput(v postgres.View, st *identityv1.ProgrammeSettings, language string) document.Input {
	r := v.Contract.Record()
	t := r.Terms
	in := document.Input{
		Language:    language,
		Reference:   document.Reference(r.ProgrammeID, r.CreatedAt, r.ID),
		Status:      r.Status,
		Association: association(st),
		Host:        document.Host{Name: v.Parties.HostName, Assisted: r.HostAssisted},
		Student:     document.Student{Name: v.Parties.StudentName},
		Room:        document.Room{Title: t.RoomTitle, AreaM2: t.RoomAreaM2, SharedSpaces: t.SharedSpaces},
		Stay: document.Stay{
			StartDate: t.StartDate, EndDate: t.EndDate, FormulaName: formulaName(st, t.FormulaID),
			MonthlyContributionCents: t.MonthlyContributionCents, EveningsPerWeek: t.EveningsPerWeek, HoursPerWeek: t.HoursPerWeek,
			Services: t.Services, HouseRules: t.HouseRules, TrialDays: t.TrialDays, TrialNoticeDays: t.TrialNoticeDays,
			HostDuties: t.HostDuties, StudentDuties: t.StudentDuties, EntryInventory: t.EntryInventory,
		},
	}
	for _, s := range r.Signatures {
		in.Signatures = append(in.Signatures, document.Signature{Party: s.Party, Method: s.Method, At: s.At, ByCoordinator: s.OnBehalf})
	}
	if n := r.Termination; n != nil {
		in.Notice = &document.Notice{By: n.Party, Reason: n.Reason, EffectiveDate: n.EffectiveDate, GivenAt: n.NoticeAt}
	}
	return in
}

// formulaName is the programme's name of formula id; "" when the settings do not know it
// (the document then says the formula is the one agreed, never its id).
func formulaName(st *identityv1.ProgrammeSettings, id string) string {
	for _, f := range st.GetFormulas() {
		if f.GetId() == id {
			return strings.TrimSpace(f.GetName())
		}
	}
	return ""
}

// association is the programme's identity as its settings carry it (blanks until an admin
// or a coordinator sets it, or while the settings have not arrived).
func association(st *identityv1.ProgrammeSettings) document.Association {
	a := st.GetAssociation()
	return document.Association{
		LegalName: a.GetLegalName(), Registration: a.GetRegistration(),
		Address:        document.Address{Line1: a.GetAddressLine1(), Postcode: a.GetPostcode(), City: a.GetCity()},
		Representative: a.GetRepresentativeName(), RepresentativeTitle: a.GetRepresentativeTitle(),
		Phone: a.GetPhone(), Email: a.GetEmail(),
	}
}

// Package app holds the contracts service's use cases: who may do what to which contract,
// check-in or incident, and which events each change publishes. Handlers and consumers call
// it; the domain decides; the store stores.
package app

import (
	"context"
	"log/slog"
	"time"
	// The Paris zone must be known wherever the service runs, even without system tzdata.
	_ "time/tzdata"

	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/programmes"
)

// App runs the use cases.
type App struct {
	store *postgres.Store
	now   func() time.Time
	// directory reads the parties' details for the documents (WithDirectory); log tells
	// when it fails.
	directory Directory
	log       *slog.Logger
}

// New returns the use cases over store, with now as the clock.
func New(store *postgres.Store, now func() time.Time) *App {
	if now == nil {
		now = time.Now
	}
	return &App{store: store, now: now}
}

// Now is the service's clock.
func (a *App) Now() time.Time { return a.now() }

// Store is the app's store (for the jobs and consumers, which share its transactions).
func (a *App) Store() *postgres.Store { return a.store }

// today is the calendar day of now in Paris: notice periods and due dates are French days.
func today(now time.Time) date.Date { return date.Of(now.In(paris)) }

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("contracts: no Europe/Paris zone: " + err.Error()) // time/tzdata is embedded
	}
	return loc
}()

// Today is the calendar day the service's clock says it is.
func (a *App) Today() date.Date { return today(a.now()) }

var errNoPrincipal = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")

func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, errNoPrincipal
	}
	return p, nil
}

// access is what a caller is to a contract: its programme's coordinator, one of its parties,
// or nobody (who must not learn that it exists).
type access struct {
	coordinator bool
	party       contract.Party
}

func (x access) none() bool { return !x.coordinator && x.party == "" }

func accessTo(p auth.Principal, c *contract.Contract, who contract.Parties) access {
	if p.CoordinatesProgramme(c.ProgrammeID()) {
		return access{coordinator: true}
	}
	switch party := who.Of(p.AccountID); {
	case party == contract.PartyHost && p.Role == auth.RoleHost:
		return access{party: party}
	case party == contract.PartyStudent && p.Role == auth.RoleStudent:
		return access{party: party}
	}
	return access{}
}

// rules are the programme settings the service applies, with SPEC §2's defaults where the
// settings have not arrived or say nothing.
type rules struct {
	ages     contract.AgeBounds
	terms    contract.Rules
	settings contract.Settings
	plan     checkin.Plan
}

func (a *App) rules(ctx context.Context, q programmes.Querier, programmeID string) (rules, error) {
	st, ok, err := programmes.Get(ctx, q, programmeID)
	if err != nil || !ok {
		return rules{plan: checkin.Plan{}.WithDefaults()}, err
	}
	first := make([]int, 0, len(st.GetCheckinFirstDays()))
	for _, d := range st.GetCheckinFirstDays() {
		first = append(first, int(d))
	}
	formulas := make([]contract.Formula, 0, len(st.GetFormulas()))
	for _, f := range st.GetFormulas() {
		formulas = append(formulas, contract.Formula{ID: f.GetId(), MinContributionCents: int(f.GetMinContributionCents()), MaxContributionCents: int(f.GetMaxContributionCents())})
	}
	return rules{
		ages:     contract.AgeBounds{HostMinAge: int(st.GetHostMinAge()), StudentMaxAge: int(st.GetStudentMaxAge())},
		terms:    contract.Rules{ContributionCapCents: int(st.GetContributionCapCents()), Formulas: formulas},
		settings: contract.Settings{TrialDays: int(st.GetTrialDays()), TrialNoticeDays: int(st.GetTrialNoticeDays())},
		plan:     checkin.Plan{FirstDays: first, IntervalDays: int(st.GetCheckinIntervalDays()), GraceDays: int(st.GetCheckinGraceDays())}.WithDefaults(),
	}, nil
}

// DayOf is the calendar day (in Paris) of instant t: the day notices, end dates and due dates
// are compared with.
func DayOf(t time.Time) date.Date { return today(t) }

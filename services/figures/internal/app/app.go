// Package app answers the figures' use cases: who may read which programme's figures, the
// period asked for, and the figures computed from the read model.
package app

import (
	"context"
	"slices"
	"time"
	_ "time/tzdata" // the Paris zone wherever the binary runs

	"github.com/cohabit/cohabit/services/figures/internal/figures"
	"github.com/cohabit/cohabit/services/figures/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// MaxYears bounds a period: figures by month over more than ten years are not a report.
const MaxYears = 10

// Errors of the use cases.
var (
	ErrProgrammeNotFound = errs.NotFound("PROGRAMME_NOT_FOUND", "no such programme")
	errNoPrincipal       = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")
)

// App is the figures' use cases.
type App struct {
	store *postgres.Store
	now   func() time.Time
}

// New returns the use cases over store; now is the clock (time.Now when nil).
func New(store *postgres.Store, now func() time.Time) *App {
	if now == nil {
		now = time.Now
	}
	return &App{store: store, now: now}
}

var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic("figures: no Europe/Paris zone: " + err.Error())
	}
	return loc
}()

// Period reads a period's bounds (YYYY-MM-DD, both included; field names "from" and "to").
// Unset, the period is the calendar year: the current one, or the one of the bound given.
func (a *App) Period(from, to string) (date.Date, date.Date, error) {
	var v errs.Violations
	f, t := date.Field(&v, "from", from), date.Field(&v, "to", to)
	if err := v.Err(); err != nil {
		return f, t, err
	}
	year := date.Of(a.now().In(paris)).Time().Year()
	switch {
	case f.IsZero() && t.IsZero():
		f, t = date.New(year, time.January, 1), date.New(year, time.December, 31)
	case f.IsZero():
		f = date.New(t.Time().Year(), time.January, 1)
	case t.IsZero():
		t = date.New(f.Time().Year(), time.December, 31)
	}
	v.Check(!t.Before(f), "to", "must not be before from (%s)", f)
	v.Check(!t.After(date.Of(f.Time().AddDate(MaxYears, 0, -1))), "to", "must be at most %d years after from", MaxYears)
	return f, t, v.Err()
}

// Programme is one programme's figures.
type Programme struct {
	postgres.Programme
	figures.Figures
}

// ProgrammeFigures returns a programme's figures for from..to: its coordinators' and the
// admin's. Anyone else, a coordinator of another programme included, is told it does not
// exist (SPEC §1).
func (a *App) ProgrammeFigures(ctx context.Context, programmeID, from, to string) (Programme, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return Programme{}, errNoPrincipal
	}
	if programmeID == "" {
		return Programme{}, errs.Invalid(errs.Violation{Field: "programmeId", Description: "is required"})
	}
	if !p.Is(auth.RoleAdmin) && !p.CoordinatesProgramme(programmeID) {
		return Programme{}, ErrProgrammeNotFound
	}
	f, t, err := a.Period(from, to)
	if err != nil {
		return Programme{}, err
	}
	prog, known, err := a.store.Programme(ctx, programmeID)
	if err != nil {
		return Programme{}, err
	}
	hs, err := a.store.Histories(ctx, programmeID, f, t)
	if err != nil {
		return Programme{}, err
	}
	// A programme the figures have not heard of is unknown to the admin; its own coordinator
	// (whose token says it exists) sees zeros until its first event arrives.
	if !known && hs[programmeID] == nil && !p.CoordinatesProgramme(programmeID) {
		return Programme{}, ErrProgrammeNotFound
	}
	var h figures.History
	if hs[programmeID] != nil {
		h = *hs[programmeID]
	}
	return Programme{Programme: prog, Figures: figures.Compute(h, f, t)}, nil
}

// Network is the whole network's figures and each programme's.
type Network struct {
	Network    figures.Figures
	Programmes []Programme
}

// NetworkFigures returns every programme's figures for from..to, side by side, and the
// network's (computed over all of them: a median is not a sum). The admin's only: the grpcapi
// policy lets no one else in.
func (a *App) NetworkFigures(ctx context.Context, from, to string) (Network, error) {
	if p, ok := auth.FromContext(ctx); !ok || !p.Is(auth.RoleAdmin) {
		return Network{}, errs.PermissionDenied("ADMIN_ONLY", "only the network's administrator sees the network's figures")
	}
	f, t, err := a.Period(from, to)
	if err != nil {
		return Network{}, err
	}
	progs, err := a.store.Programmes(ctx)
	if err != nil {
		return Network{}, err
	}
	hs, err := a.store.Histories(ctx, "", f, t)
	if err != nil {
		return Network{}, err
	}
	// Records of a programme whose creation has not arrived yet still count, under its id.
	for id := range hs {
		if !slices.ContainsFunc(progs, func(p postgres.Programme) bool { return p.ID == id }) {
			progs = append(progs, postgres.Programme{ID: id})
		}
	}
	var n Network
	all := make([]figures.History, 0, len(hs))
	for _, p := range progs {
		var h figures.History
		if hs[p.ID] != nil {
			h = *hs[p.ID]
		}
		all = append(all, h)
		n.Programmes = append(n.Programmes, Programme{Programme: p, Figures: figures.Compute(h, f, t)})
	}
	n.Network = figures.Compute(figures.Merge(all...), f, t)
	return n, nil
}

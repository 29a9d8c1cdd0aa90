// Package app holds the hosts service's use cases: who may do what to which host or room, and
// which events each change publishes. Handlers call it; the domain decides; the store stores.
package app

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/person"
)

// App runs the use cases.
type App struct {
	store *postgres.Store
	now   func() time.Time
}

// New returns the use cases over store, with now as the clock.
func New(store *postgres.Store, now func() time.Time) *App {
	if now == nil {
		now = time.Now
	}
	return &App{store: store, now: now}
}

// Within returns the use cases bound to tx, an event consumer's inbox transaction
// (platform/consume): their store writes in it (postgres.Store.Within), so that what a use
// case changes for the event commits with the event's claim, or rolls back with it.
func (a *App) Within(tx pgx.Tx) *App {
	b := *a
	b.store = a.store.Within(tx)
	return &b
}

// canManageHost: the host's own account, or a coordinator of its programme.
func canManageHost(p auth.Principal, h *host.Host) bool { return person.MayManage(p, auth.RoleHost, h) }

// canSeeRoom adds the students of the programme, for published rooms only.
func canSeeRoom(p auth.Principal, r *room.Room, h *host.Host) bool {
	if canManageHost(p, h) {
		return true
	}
	return p.Role == auth.RoleStudent && p.ProgrammeID == r.ProgrammeID() && r.Status() == room.StatusPublished
}

// rules returns what a programme demands of rooms and hosts, from the copy of its settings;
// the legal defaults apply until the copy arrives.
func (a *App) rules(ctx context.Context, programmeID string) (room.Rules, int, error) {
	st, ok, err := a.store.Programme(ctx, programmeID)
	if err != nil || !ok {
		return room.Rules{}, host.LegalMinAge, err
	}
	r := room.Rules{ContributionCapCents: int(st.GetContributionCapCents()), Formulas: formulas(st)}
	return r, int(st.GetHostMinAge()), nil
}

func formulas(st *identityv1.ProgrammeSettings) map[string]room.Formula {
	if len(st.GetFormulas()) == 0 {
		return nil
	}
	m := make(map[string]room.Formula, len(st.GetFormulas()))
	for _, f := range st.GetFormulas() {
		m[f.GetId()] = room.Formula{MinCents: int(f.GetMinContributionCents()), MaxCents: int(f.GetMaxContributionCents())}
	}
	return m
}

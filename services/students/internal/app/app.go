// Package app holds the students service's use cases: who may do what to which student or
// application, and which events each change publishes. Handlers call it; the domain decides;
// the store stores.
package app

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/person"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// App runs the use cases.
type App struct {
	store *postgres.Store
	now   func() time.Time
	// rooms tells which programme a room belongs to (WithRooms); without it, no room can be
	// shown to be the student's programme's, and an application targeting one is refused.
	rooms Rooms
}

// Rooms reads a room's programme from the service that owns rooms.
type Rooms interface {
	// Programme returns the programme of room id, "" when no such room exists.
	Programme(ctx context.Context, id string) (string, error)
}

// WithRooms sets the reader of rooms' programmes.
func (a *App) WithRooms(r Rooms) *App {
	a.rooms = r
	return a
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

// canManageStudent: the student's own account, or a coordinator of their programme.
func canManageStudent(p auth.Principal, s *student.Student) bool {
	return person.MayManage(p, auth.RoleStudent, s)
}

// rules returns what a programme demands of students and applications, from the copy of its
// settings; the legal defaults apply until the copy arrives.
func (a *App) rules(ctx context.Context, programmeID string) (application.Rules, int, error) {
	st, ok, err := a.store.Programme(ctx, programmeID)
	if err != nil || !ok {
		return application.Rules{}, student.LegalMaxAge, err
	}
	return application.Rules{BudgetCapCents: int(st.GetContributionCapCents())}, int(st.GetStudentMaxAge()), nil
}

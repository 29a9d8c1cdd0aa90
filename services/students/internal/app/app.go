// Package app holds the students service's use cases: who may do what to which student or
// application, and which events each change publishes. Handlers call it; the domain decides;
// the store stores.
package app

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
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

func newID() string { return uuid.Must(uuid.NewV7()).String() }

var errNoPrincipal = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")

func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, errNoPrincipal
	}
	return p, nil
}

// canManageStudent: the student's own account, or a coordinator of their programme.
func canManageStudent(p auth.Principal, s *student.Student) bool {
	if p.CoordinatesProgramme(s.ProgrammeID()) {
		return true
	}
	return p.Role == auth.RoleStudent && s.OwnerAccountID() != "" && s.OwnerAccountID() == p.AccountID
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

// Page is one page of a list.
type Page struct {
	Size  int
	Token string
}

var errBadPageToken = errs.Invalid(errs.Violation{Field: "pageToken", Description: "is not a token this list gave"})

func (p Page) limits() (after string, limit int, err error) {
	limit = p.Size
	switch {
	case limit <= 0:
		limit = 50
	case limit > 200:
		limit = 200
	}
	if p.Token != "" && !postgres.ValidID(p.Token) {
		return "", 0, errBadPageToken
	}
	return p.Token, limit, nil
}

// nextToken is the last id of a full page; an empty token means there is no next page.
func nextToken(ids []string, limit int) string {
	if len(ids) < limit || len(ids) == 0 {
		return ""
	}
	return ids[len(ids)-1]
}

package app_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/contracts/internal/app"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/document"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// directory is the hosts' and students' services as the contracts service reads them with
// its service identity: birth dates by party id, or a failure.
type directory struct {
	births map[string]date.Date
	err    error
}

func (d directory) Host(_ context.Context, id string) (document.Host, error) {
	return document.Host{Name: "h", BirthDate: d.births[id]}, d.err
}

func (d directory) Student(_ context.Context, id string) (document.Student, error) {
	return document.Student{Name: "s", BirthDate: d.births[id]}, d.err
}

// TestAgesOnTheStartDate: sending a contract, and moving its start date, checks the host's
// minimum and the student's maximum age on the start date (2027-02-01 here), naming the
// party; the birth dates are read from the parties' services, never from an event.
func TestAgesOnTheStartDate(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := svctest.Pool(t, "contracts", postgres.Sets()...)
	now := time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)
	coord := auth.WithPrincipal(ctx, auth.Principal{AccountID: ids.New(), Role: auth.RoleCoordinator, ProgrammeID: "lyon"})
	draft := func(t *testing.T) *contract.Contract {
		t.Helper()
		c := contract.Draft(ids.New(), contract.Match{MatchID: ids.New(), ProgrammeID: "lyon", RoomID: ids.New(), HostID: ids.New(), StudentID: ids.New()}, contract.Terms{
			RoomTitle: "Chambre", RoomAreaM2: 12, StartDate: date.New(2027, 2, 1), EndDate: date.New(2028, 1, 31),
			HouseRules: contract.DefaultHouseRules, NoticeDays: contract.LegalNoticeDays, TrialDays: 30, TrialNoticeDays: 15,
			HostDuties: contract.DefaultHostDuties, StudentDuties: contract.DefaultStudentDuties,
		}, now)
		if err := pg.InTx(ctx, pool, func(tx pgx.Tx) error { _, err := postgres.New(pool).Within(tx).InsertDraft(ctx, c); return err }); err != nil {
			t.Fatal(err)
		}
		return c
	}
	withBirths := func(c *contract.Contract, host, student date.Date) *app.App {
		return app.New(postgres.New(pool), func() time.Time { return now }).WithDirectory(directory{births: map[string]date.Date{c.HostID(): host, c.StudentID(): student}}, logging.Discard())
	}
	reason := func(err error) string {
		if e, ok := errs.As(err); ok {
			return e.Reason
		}
		return ""
	}

	c := draft(t)
	a := withBirths(c, date.New(1967, 2, 2), date.New(2005, 5, 1)) // she turns 60 the day after the start
	if _, err := a.SendContract(coord, c.ID(), ""); reason(err) != "HOST_TOO_YOUNG" {
		t.Fatalf("a host of 59 on the start date: %v", err)
	}
	// A start date a day later: she is 60 on it.
	v, err := a.UpdateContract(coord, c.ID(), "", func(t *contract.Terms) error { t.StartDate = date.New(2027, 2, 2); return nil })
	if err != nil {
		t.Fatalf("start on her 60th birthday: %v", err)
	}
	if v, err = a.SendContract(coord, c.ID(), ""); err != nil || v.Contract.Status() != contract.StatusAwaitingSignatures {
		t.Fatalf("send: %v", err)
	}

	c = draft(t)
	a = withBirths(c, date.New(1950, 1, 1), date.New(1997, 3, 1)) // he turns 30 on 2027-03-01
	if _, err := a.UpdateContract(coord, c.ID(), "", func(t *contract.Terms) error { t.StartDate = date.New(2027, 3, 1); return nil }); reason(err) != "STUDENT_TOO_OLD" {
		t.Fatalf("a start date on the student's 30th birthday: %v", err)
	}
	if _, err := a.SendContract(coord, c.ID(), ""); err != nil {
		t.Fatalf("a student of 29 on the start date: %v", err)
	}

	// The parties' services out of reach: the ages were checked at verification; the
	// contract is not blocked.
	c = draft(t)
	a = app.New(postgres.New(pool), func() time.Time { return now }).WithDirectory(directory{err: errors.New("unavailable")}, logging.Discard())
	if _, err := a.SendContract(coord, c.ID(), ""); err != nil {
		t.Fatalf("send with the parties' services down: %v", err)
	}
}

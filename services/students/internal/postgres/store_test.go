package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/svctest"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
	"github.com/google/uuid"
)

// TestOneOpenApplicationIndex proves the database holds the one-open-application rule by
// itself: a build that ignores the open application (as two racing creates both do) is
// refused by the unique partial index, and a withdrawal frees the slot.
func TestOneOpenApplicationIndex(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := svctest.Pool(t, "students", postgres.Sets()...)
	store := postgres.New(pool)
	now := time.Now()
	st, err := student.New(student.Profile{
		DisplayName: "Léa", BirthDate: date.Of(now.AddDate(-20, 0, 0)), Email: "lea@example.org",
		StudyPlace: student.StudyPlace{Lat: 45.7, Lng: 4.8, City: "Lyon"}, MaxCommuteKm: 10,
	}, student.Registration{ID: uuid.NewString(), ProgrammeID: "lyon", RegisteredBy: "c", At: now})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Verify("c", 0, now); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateStudent(ctx, st, "c", ""); err != nil {
		t.Fatal(err)
	}
	ignoreOpen := func(s *student.Student, _ string) (*application.Application, []*eventsv1.Envelope, error) {
		a, err := application.New(uuid.NewString(), application.Applicant{StudentID: s.ID(), ProgrammeID: s.ProgrammeID(), Verified: true},
			application.Preferences{BudgetCents: 10000, MoveIn: date.Of(now).AddDays(30)}, application.Rules{}, now)
		return a, nil, err
	}
	first, err := store.CreateApplication(ctx, st.ID(), "c", "", ignoreOpen)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateApplication(ctx, st.ID(), "c", "", ignoreOpen); !errors.Is(err, application.ErrOpenExists) {
		t.Fatalf("a second open application got past the index: %v", err)
	}
	if _, err := store.UpdateApplication(ctx, first.ID(), func(a *application.Application, _ *student.Student) ([]*eventsv1.Envelope, error) {
		return nil, a.Withdraw(now)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateApplication(ctx, st.ID(), "c", "", ignoreOpen); err != nil {
		t.Fatalf("applying again after a withdrawal: %v", err)
	}
}

package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/placement"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// TestConsumerWritesRunWithin: the writes of the chain and of a claim run only in the inbox
// transaction a consumer binds the store to (Within); asked of a store bound to none they are
// refused before deciding anything, and bound to one they run in it.
func TestConsumerWritesRunWithin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := svctest.Pool(t, "students", postgres.Sets()...)
	store := postgres.New(pool)
	placementFn := func(*application.Application, *student.Student, placement.Status) (placement.Outcome, []*eventsv1.Envelope, error) {
		t.Error("a write outside its transaction decided something")
		return placement.Outcome{}, nil, nil
	}
	studentFn := func(*student.Student) ([]*eventsv1.Envelope, error) {
		t.Error("a write outside its transaction decided something")
		return nil, nil
	}
	if err := store.ApplyPlacement(ctx, uuid.NewString(), uuid.NewString(), placementFn); !errors.Is(err, pg.ErrNoTx) {
		t.Errorf("ApplyPlacement outside a transaction: %v, want ErrNoTx", err)
	}
	if err := store.UpdateStudentIn(ctx, uuid.NewString(), studentFn); !errors.Is(err, pg.ErrNoTx) {
		t.Errorf("UpdateStudentIn outside a transaction: %v, want ErrNoTx", err)
	}
	err := pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		return store.Within(tx).ApplyPlacement(ctx, uuid.NewString(), uuid.NewString(), placementFn)
	})
	if !errors.Is(err, postgres.ErrApplicationNotFound) {
		t.Errorf("ApplyPlacement within a transaction, unknown application: %v, want ErrApplicationNotFound", err)
	}
}

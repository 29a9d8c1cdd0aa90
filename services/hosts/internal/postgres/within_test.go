package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/host"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// TestConsumerWritesRunWithin: the writes of the chain and of a claim run only in the inbox
// transaction a consumer binds the store to (Within); asked of a store bound to none they are
// refused before deciding anything, and bound to one they run in it.
func TestConsumerWritesRunWithin(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := svctest.Pool(t, "hosts", postgres.Sets()...)
	store := postgres.New(pool)
	holdFn := func(*room.Room, *host.Host, room.Hold) (room.Hold, bool, []*eventsv1.Envelope, error) {
		t.Error("a write outside its transaction decided something")
		return "", false, nil, nil
	}
	hostFn := func(*host.Host) ([]*eventsv1.Envelope, error) {
		t.Error("a write outside its transaction decided something")
		return nil, nil
	}
	if err := store.ApplyHold(ctx, uuid.NewString(), uuid.NewString(), holdFn); !errors.Is(err, pg.ErrNoTx) {
		t.Errorf("ApplyHold outside a transaction: %v, want ErrNoTx", err)
	}
	if err := store.UpdateHostIn(ctx, uuid.NewString(), hostFn); !errors.Is(err, pg.ErrNoTx) {
		t.Errorf("UpdateHostIn outside a transaction: %v, want ErrNoTx", err)
	}
	err := pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		return store.Within(tx).ApplyHold(ctx, uuid.NewString(), uuid.NewString(), holdFn)
	})
	if !errors.Is(err, postgres.ErrRoomNotFound) {
		t.Errorf("ApplyHold within a transaction, unknown room: %v, want ErrRoomNotFound", err)
	}
}

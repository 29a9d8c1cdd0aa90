package erasure_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	sets := []pg.Migrations{outbox.Migrations(), inbox.Migrations(), erasure.Migrations()}
	schema := "erasure_" + pgtest.Hash(outbox.Migrations().FS) + pgtest.Hash(inbox.Migrations().FS) + pgtest.Hash(erasure.Migrations().FS)
	return pgtest.New(t, schema, func(ctx context.Context, url string) error { return pg.Migrate(ctx, url, sets...) })
}

func TestEventCarriesIdsOnly(t *testing.T) {
	p := erasure.Person{ID: ids.New(), Kind: erasure.Student, AccountID: ids.New(), ProgrammeID: "prog"}
	e, err := erasure.Event(p, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if e.GetType() != studentsevents.StudentErased.Subject {
		t.Errorf("subject %s", e.GetType())
	}
	got, err := erasure.Decode(e)
	if err != nil || got != p {
		t.Fatalf("decoded %+v, %v; want %+v", got, err, p)
	}
	bad, _ := event.New(hostsevents.HostErased.Subject, "prog", time.Now(), &eventsv1.PersonErased{PersonId: "not-an-id", Kind: eventsv1.PersonKind_PERSON_KIND_HOST})
	if _, err := erasure.Decode(bad); err == nil {
		t.Error("an erasure of something that is not an id was decoded")
	}
}

// TestAppliedOncePerPerson: an erasure is applied once per person, whatever the number of
// its deliveries or of the events that tell it; the id is remembered; published outbox rows
// naming the person are forgotten, unpublished ones kept.
func TestAppliedOncePerPerson(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	p := erasure.Person{ID: ids.New(), Kind: erasure.Host, ProgrammeID: "prog"}
	for _, published := range []bool{true, false} {
		e, _ := event.New(hostsevents.HostUpdated.Subject, "prog", time.Now(), &eventsv1.PersonErased{PersonId: p.ID})
		if err := pg.InTx(ctx, db, func(tx pgx.Tx) error { return outbox.Append(ctx, tx, e) }); err != nil {
			t.Fatal(err)
		}
		if published {
			if _, err := db.Exec(ctx, `UPDATE outbox SET published_at = now() WHERE id = $1`, e.GetId()); err != nil {
				t.Fatal(err)
			}
		}
	}
	applied := 0
	apply := func(context.Context, pgx.Tx, erasure.Person) error { applied++; return nil }
	first, _ := erasure.Event(p, time.Now())
	second, _ := erasure.Event(p, time.Now())
	for _, e := range []*eventsv1.Envelope{first, first, second} {
		if err := erasure.Handle(ctx, db, "test-erasure-hosts", e, apply); err != nil {
			t.Fatal(err)
		}
	}
	if applied != 1 {
		t.Errorf("applied %d times, want once", applied)
	}
	if gone, err := erasure.Erased(ctx, db, p.ID); err != nil || !gone {
		t.Errorf("Erased = %v, %v", gone, err)
	}
	if gone, err := erasure.Erased(ctx, db, ids.New()); err != nil || gone {
		t.Errorf("someone else Erased = %v, %v", gone, err)
	}
	var left int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE published_at IS NULL`).Scan(&left); err != nil || left != 1 {
		t.Errorf("unpublished rows left: %d, %v; want the one", left, err)
	}
	if err := db.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE published_at IS NOT NULL`).Scan(&left); err != nil || left != 0 {
		t.Errorf("published rows naming the person left: %d, %v", left, err)
	}
}

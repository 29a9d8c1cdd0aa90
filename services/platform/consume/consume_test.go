package consume_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := pgtest.New(t, "consume_"+pgtest.Hash(inbox.Migrations().FS), func(ctx context.Context, url string) error {
		return pg.Migrate(ctx, url, inbox.Migrations())
	})
	if _, err := pool.Exec(context.Background(), `CREATE TABLE seen (host_id text PRIMARY KEY, n int NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return pool
}

func count(t *testing.T, db *pgxpool.Pool, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func envelope(t *testing.T, subject string, payload proto.Message) *eventsv1.Envelope {
	t.Helper()
	e, err := event.New(subject, "", time.Now(), payload)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestGroup: the filter and stream come from the handlers; each event's payload is decoded
// once to its type and its handler runs in the inbox transaction; the one retry policy
// decides between ack, retry and terminate.
func TestGroup(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	// The host's id says what the handler does after writing its row.
	outcome := map[string]error{}
	write := func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *hostseventsv1.HostRegistered) error {
		id := p.GetHost().GetHostId()
		if m.Inbox != "test-hosts" || m.Subject != hostsevents.HostRegistered.Subject || m.ID == "" {
			return fmt.Errorf("meta %+v", m)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO seen VALUES ($1, 1) ON CONFLICT (host_id) DO UPDATE SET n = seen.n + 1`, id); err != nil {
			return err
		}
		return outcome[id]
	}
	updated := 0
	c := consume.Group{Durable: "test-hosts", DB: db, Handlers: append([]consume.Handler{
		consume.On(hostsevents.HostRegistered, write),
	}, consume.OnEach([]eventcat.Event[*hostseventsv1.HostStatusChanged]{hostsevents.HostSuspended, hostsevents.HostArchived},
		func(context.Context, pgx.Tx, consume.Meta, *hostseventsv1.HostStatusChanged) error {
			updated++
			return nil
		})...)}.Consumer(slog.New(slog.DiscardHandler))

	if c.Stream != hostsevents.Stream.Name {
		t.Errorf("stream %s, want %s", c.Stream, hostsevents.Stream.Name)
	}
	want := []string{hostsevents.HostArchived.Subject, hostsevents.HostRegistered.Subject, hostsevents.HostSuspended.Subject}
	if !slices.Equal(c.Subjects, want) {
		t.Errorf("subjects %v, want %v", c.Subjects, want)
	}

	registered := func(id string) *eventsv1.Envelope {
		return envelope(t, hostsevents.HostRegistered.Subject, &hostseventsv1.HostRegistered{Host: &hostseventsv1.HostProfile{HostId: id}})
	}
	permanent := func(err error) bool { return errors.Is(err, natsx.ErrPermanent) }

	// Handled once, however often it is delivered.
	ok := registered("ok")
	for range 2 {
		if err := c.Handle(ctx, ok); err != nil {
			t.Fatalf("a good event: %v", err)
		}
	}
	if n := count(t, db, `SELECT n FROM seen WHERE host_id = 'ok'`); n != 1 {
		t.Errorf("applied %d times, want once", n)
	}

	// Not yet: retried, even when the domain's error is a refusal; nothing stays.
	outcome["later"] = fmt.Errorf("%w: %w", consume.ErrNotYet, errs.FailedPrecondition("NOT_YET", "wait"))
	later := registered("later")
	if err := c.Handle(ctx, later); err == nil || permanent(err) {
		t.Errorf("a not-yet event: %v, want a retry", err)
	}
	// A database or network failure: retried.
	outcome["flaky"] = errors.New("connection reset")
	if err := c.Handle(ctx, registered("flaky")); err == nil || permanent(err) {
		t.Errorf("a failing event: %v, want a retry", err)
	}
	// Refusals of the domain and invalid ids: terminated.
	outcome["refused"] = errs.FailedPrecondition("NO", "refused")
	outcome["gone"] = errs.NotFound("GONE", "no such host")
	outcome["bad-id"] = consume.IDs(uuid.NewString(), "bad-id")
	for _, id := range []string{"refused", "gone", "bad-id"} {
		if err := c.Handle(ctx, registered(id)); !permanent(err) {
			t.Errorf("%s: %v, want terminated", id, err)
		}
	}
	if n := count(t, db, `SELECT count(*) FROM seen WHERE host_id <> 'ok'`); n != 0 {
		t.Errorf("%d changes of failed handlers stayed", n)
	}
	if n := count(t, db, `SELECT count(*) FROM inbox WHERE consumer = 'test-hosts'`); n != 1 {
		t.Errorf("%d claims, want only the good event's", n)
	}
	// The retry, once the state is there, applies it.
	delete(outcome, "later")
	if err := c.Handle(ctx, later); err != nil {
		t.Errorf("the retry: %v", err)
	}

	// A payload of another type than the catalogue's: terminated before any transaction.
	wrong := envelope(t, hostsevents.HostRegistered.Subject, &hostseventsv1.HostUpdated{})
	if err := c.Handle(ctx, wrong); !permanent(err) {
		t.Errorf("a wrong payload: %v, want terminated", err)
	}
	// Each event of OnEach reaches its handler; a subject no handler follows is acknowledged.
	for _, s := range []string{hostsevents.HostSuspended.Subject, hostsevents.HostArchived.Subject} {
		if err := c.Handle(ctx, envelope(t, s, &hostseventsv1.HostStatusChanged{})); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
	if updated != 2 {
		t.Errorf("status handler called %d times, want 2", updated)
	}
	if err := c.Handle(ctx, envelope(t, hostsevents.HostUpdated.Subject, &hostseventsv1.HostUpdated{})); err != nil {
		t.Errorf("an event outside the group: %v", err)
	}
}

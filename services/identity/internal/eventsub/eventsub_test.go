package eventsub

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

type linkCall struct {
	rec app.Record
}

// fakeLinker stands for the app: what is tested here is which events link which record, and
// what becomes of the link's errors; the inbox is the real one.
type fakeLinker struct {
	calls []linkCall
	err   error
}

func (f *fakeLinker) RecordRegistered(_ context.Context, tx pgx.Tx, rec app.Record) error {
	if tx == nil {
		return errors.New("no inbox transaction")
	}
	f.calls = append(f.calls, linkCall{rec})
	return f.err
}

func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	return pgtest.New(t, "identity_eventsub_"+pgtest.Hash(inbox.Migrations().FS), func(ctx context.Context, url string) error {
		return pg.Migrate(ctx, url, inbox.Migrations())
	})
}

// claimed says whether the inbox holds event id as claimed by consumer.
func claimed(t *testing.T, db *pgxpool.Pool, consumer, id string) bool {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), `SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id::text = $2`, consumer, id).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n == 1
}

func hostRegistered(t *testing.T, owner string) *eventsv1.Envelope {
	t.Helper()
	e, err := event.New(hostsevents.HostRegistered.Subject, "demo", time.Now(), &hostseventsv1.HostRegistered{
		Host: &hostseventsv1.HostProfile{HostId: "h1", ProgrammeId: "demo", OwnerAccountId: owner},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestConsumers(t *testing.T) {
	t.Parallel()
	cs := Consumers(nil, &fakeLinker{}, logging.Discard())
	if len(cs) != 2 {
		t.Fatalf("%d consumers", len(cs))
	}
	if c := cs[0]; c.Stream != hostsevents.Stream.Name || c.Durable != "identity-hosts" || !slices.Equal(c.Subjects, []string{hostsevents.HostRegistered.Subject}) {
		t.Fatalf("consumer %+v", c)
	}
	if c := cs[1]; c.Stream != studentsevents.Stream.Name || c.Durable != "identity-students" || !slices.Equal(c.Subjects, []string{studentsevents.StudentRegistered.Subject}) {
		t.Fatalf("consumer %+v", c)
	}
}

func TestHandle(t *testing.T) {
	t.Parallel()
	owner := uuid.NewString()
	db := newDB(t)
	cases := []struct {
		name      string
		envelope  func(*testing.T) *eventsv1.Envelope
		linkErr   error
		wantCalls int
		noOwner   bool
		permanent bool
		fails     bool
	}{
		{name: "owned host links", envelope: func(t *testing.T) *eventsv1.Envelope { return hostRegistered(t, owner) }, wantCalls: 1},
		{name: "assisted host is kept, with no owner", wantCalls: 1, noOwner: true,
			envelope: func(t *testing.T) *eventsv1.Envelope { return hostRegistered(t, "") }},
		{name: "unfollowed subject is skipped", envelope: func(t *testing.T) *eventsv1.Envelope {
			e := hostRegistered(t, owner)
			e.Type = hostsevents.RoomCreated.Subject
			return e
		}},
		{name: "id not a UUID", permanent: true, fails: true, envelope: func(t *testing.T) *eventsv1.Envelope {
			e := hostRegistered(t, owner)
			e.Id = "x"
			return e
		}},
		{name: "wrong payload", permanent: true, fails: true, envelope: func(t *testing.T) *eventsv1.Envelope {
			e, _ := event.New(hostsevents.HostRegistered.Subject, "demo", time.Now(), &hostseventsv1.RoomCreated{})
			return e
		}},
		{name: "unknown account", linkErr: account.ErrNotFound, wantCalls: 1, permanent: true, fails: true,
			envelope: func(t *testing.T) *eventsv1.Envelope { return hostRegistered(t, owner) }},
		{name: "account of another programme", linkErr: account.ErrOtherProgramme, wantCalls: 1, permanent: true, fails: true,
			envelope: func(t *testing.T) *eventsv1.Envelope { return hostRegistered(t, owner) }},
		{name: "student account", linkErr: account.ErrWrongRole, wantCalls: 1, permanent: true, fails: true,
			envelope: func(t *testing.T) *eventsv1.Envelope { return hostRegistered(t, owner) }},
		{name: "database down is retried", linkErr: errors.New("connection refused"), wantCalls: 1, fails: true,
			envelope: func(t *testing.T) *eventsv1.Envelope { return hostRegistered(t, owner) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			l := &fakeLinker{err: c.linkErr}
			e := c.envelope(t)
			err := Consumers(db, l, logging.Discard())[0].Handle(context.Background(), e)
			if (err != nil) != c.fails || errors.Is(err, natsx.ErrPermanent) != c.permanent {
				t.Fatalf("err %v; want failure %v, permanent %v", err, c.fails, c.permanent)
			}
			if len(l.calls) != c.wantCalls {
				t.Fatalf("%d link calls, want %d", len(l.calls), c.wantCalls)
			}
			if c.wantCalls == 1 {
				want := linkCall{app.Record{Kind: account.RecordHost, ID: "h1", ProgrammeID: "demo", OwnerAccountID: owner}}
				if c.noOwner {
					want.rec.OwnerAccountID = ""
				}
				if l.calls[0] != want {
					t.Fatalf("call %+v, want %+v", l.calls[0], want)
				}
				// Claimed as identity's, with the change, or not at all.
				if claimed(t, db, Consumer, e.GetId()) != !c.fails {
					t.Fatalf("claimed by %s: %v, want %v", Consumer, !c.fails, c.fails)
				}
			}
		})
	}
}

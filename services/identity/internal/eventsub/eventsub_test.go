package eventsub

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

type linkCall struct {
	consumer, eventID string
	rec               app.Record
}

type fakeLinker struct {
	calls []linkCall
	err   error
}

func (f *fakeLinker) RecordRegistered(_ context.Context, consumer, eventID string, rec app.Record) error {
	f.calls = append(f.calls, linkCall{consumer, eventID, rec})
	return f.err
}

func hostRegistered(t *testing.T, owner string) *eventsv1.Envelope {
	t.Helper()
	e, err := event.New(SubjectHostRegistered, "demo", time.Now(), &hostseventsv1.HostRegistered{
		Host: &hostseventsv1.HostProfile{HostId: "h1", ProgrammeId: "demo", OwnerAccountId: owner},
	})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestConsumers(t *testing.T) {
	t.Parallel()
	cs := Consumers(&fakeLinker{}, logging.Discard())
	if len(cs) != 2 {
		t.Fatalf("%d consumers", len(cs))
	}
	if c := cs[0]; c.Stream != "HOSTS" || c.Durable != "identity-hosts" || !slices.Equal(c.Subjects, []string{SubjectHostRegistered}) {
		t.Fatalf("consumer %+v", c)
	}
	if c := cs[1]; c.Stream != "STUDENTS" || c.Durable != "identity-students" || !slices.Equal(c.Subjects, []string{SubjectStudentRegistered}) {
		t.Fatalf("consumer %+v", c)
	}
}

func TestHandle(t *testing.T) {
	t.Parallel()
	owner := uuid.NewString()
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
			e.Type = "cohabit.hosts.room.created"
			return e
		}},
		{name: "id not a UUID", permanent: true, fails: true, envelope: func(t *testing.T) *eventsv1.Envelope {
			e := hostRegistered(t, owner)
			e.Id = "x"
			return e
		}},
		{name: "wrong payload", permanent: true, fails: true, envelope: func(t *testing.T) *eventsv1.Envelope {
			e, _ := event.New(SubjectHostRegistered, "demo", time.Now(), &hostseventsv1.RoomCreated{})
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
			h := &handler{linker: l, links: links()}
			e := c.envelope(t)
			err := h.handle(context.Background(), e)
			if (err != nil) != c.fails || errors.Is(err, natsx.ErrPermanent) != c.permanent {
				t.Fatalf("err %v; want failure %v, permanent %v", err, c.fails, c.permanent)
			}
			if len(l.calls) != c.wantCalls {
				t.Fatalf("%d link calls, want %d", len(l.calls), c.wantCalls)
			}
			if c.wantCalls == 1 {
				want := linkCall{Consumer, e.GetId(), app.Record{Kind: account.RecordHost, ID: "h1", ProgrammeID: "demo", OwnerAccountID: owner}}
				if c.noOwner {
					want.rec.OwnerAccountID = ""
				}
				if l.calls[0] != want {
					t.Fatalf("call %+v, want %+v", l.calls[0], want)
				}
			}
		})
	}
}

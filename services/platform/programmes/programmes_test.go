package programmes_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

const service = "test"

type fixture struct {
	pool *pgxpool.Pool
	js   jetstream.JetStream
}

// start gives the test a database with the inbox and programmes tables, an IDENTITY stream,
// and the consumer running on them.
func start(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	pool := svctest.Pool(t, "programmes", inbox.Migrations(), programmes.Migrations())
	ns := natstest.New(t)
	js := svctest.JetStream(t, ns.URL())
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	c := programmes.Consumer(pool, service, logging.Discard())
	if c.Durable != "test-identity" || c.Stream != identityevents.Stream.Name {
		t.Fatalf("consumer %s on %s", c.Durable, c.Stream)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- c.Run(runCtx, js) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("consumer stopped with %v", err)
		}
	})
	return &fixture{pool: pool, js: js}
}

func envelope(t *testing.T, subject, id string, st *identityv1.ProgrammeSettings, at time.Time) *eventsv1.Envelope {
	t.Helper()
	p := &identityv1.Programme{Id: id, Name: id, Settings: st}
	var payload proto.Message = &identityeventsv1.ProgrammeUpdated{Programme: p}
	if subject == identityevents.ProgrammeCreated.Subject {
		payload = &identityeventsv1.ProgrammeCreated{Programme: p}
	}
	env, err := event.New(subject, id, at, payload)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// waitFor polls the copy of programme id until it is there, and returns it.
func (f *fixture) waitFor(t *testing.T, id string) *identityv1.ProgrammeSettings {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		st, ok, err := programmes.Get(context.Background(), f.pool, id)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("programme %s never arrived", id)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// drain publishes a marker event and waits until the consumer has applied it: the consumer
// handles one stream's events in order, so every event published before has been handled.
func (f *fixture) drain(t *testing.T) {
	t.Helper()
	marker := "marker-" + time.Now().Format("150405.000000000")
	svctest.PublishEnvelope(t, f.js, envelope(t, identityevents.ProgrammeCreated.Subject, marker, &identityv1.ProgrammeSettings{}, time.Now()))
	f.waitFor(t, marker)
}

func TestConsumerAppliesProgrammeEvents(t *testing.T) {
	t.Parallel()
	f := start(t)
	if _, ok, err := programmes.Get(context.Background(), f.pool, "lyon"); ok || err != nil {
		t.Fatalf("a copy before any event: %v %v", ok, err)
	}
	t0 := time.Now()
	svctest.PublishEnvelope(t, f.js, envelope(t, identityevents.ProgrammeCreated.Subject, "lyon", &identityv1.ProgrammeSettings{HostMinAge: 60, ContributionCapCents: 20000}, t0))
	if st := f.waitFor(t, "lyon"); st.GetHostMinAge() != 60 || st.GetContributionCapCents() != 20000 {
		t.Fatalf("created settings %v", st)
	}
	svctest.PublishEnvelope(t, f.js, envelope(t, identityevents.ProgrammeUpdated.Subject, "lyon", &identityv1.ProgrammeSettings{HostMinAge: 65, StudentMaxAge: 28}, t0.Add(time.Minute)))
	f.drain(t)
	st, _, err := programmes.Get(context.Background(), f.pool, "lyon")
	if err != nil || st.GetHostMinAge() != 65 || st.GetStudentMaxAge() != 28 || st.GetContributionCapCents() != 0 {
		t.Fatalf("updated settings %v %v", st, err)
	}
}

func TestDuplicateEventAppliesOnce(t *testing.T) {
	t.Parallel()
	f := start(t)
	ctx := context.Background()
	env := envelope(t, identityevents.ProgrammeCreated.Subject, "paris", &identityv1.ProgrammeSettings{HostMinAge: 60}, time.Now())
	svctest.PublishEnvelope(t, f.js, env)
	f.waitFor(t, "paris")
	// Forget the copy behind the consumer's back: only a second application of the same event
	// could bring it back.
	if _, err := f.pool.Exec(ctx, `DELETE FROM programmes WHERE id = 'paris'`); err != nil {
		t.Fatal(err)
	}
	svctest.PublishEnvelope(t, f.js, env) // no message id: JetStream delivers it again
	f.drain(t)
	if st, ok, err := programmes.Get(ctx, f.pool, "paris"); ok || err != nil {
		t.Fatalf("the duplicate was applied again: %v %v", st, err)
	}
	var claims int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM inbox WHERE consumer = $1 AND event_id = $2`, service, env.GetId()).Scan(&claims); err != nil || claims != 1 {
		t.Fatalf("inbox claims of the event: %d %v", claims, err)
	}
}

func TestOlderUpdateDoesNotOverwriteNewer(t *testing.T) {
	t.Parallel()
	f := start(t)
	t0 := time.Now().Add(-time.Hour)
	svctest.PublishEnvelope(t, f.js, envelope(t, identityevents.ProgrammeCreated.Subject, "lille", &identityv1.ProgrammeSettings{HostMinAge: 60}, t0))
	svctest.PublishEnvelope(t, f.js, envelope(t, identityevents.ProgrammeUpdated.Subject, "lille", &identityv1.ProgrammeSettings{HostMinAge: 70}, t0.Add(2*time.Minute)))
	// Redelivered late: an update made between the two above.
	svctest.PublishEnvelope(t, f.js, envelope(t, identityevents.ProgrammeUpdated.Subject, "lille", &identityv1.ProgrammeSettings{HostMinAge: 65}, t0.Add(time.Minute)))
	f.drain(t)
	st, ok, err := programmes.Get(context.Background(), f.pool, "lille")
	if err != nil || !ok || st.GetHostMinAge() != 70 {
		t.Fatalf("settings %v (%v, %v): the older update overwrote the newer", st, ok, err)
	}
}

func TestOtherAndUndecodableEventsAreSkipped(t *testing.T) {
	t.Parallel()
	f := start(t)
	other, err := event.New("cohabit.identity.programme.archived", "nice", time.Now(), &identityeventsv1.ProgrammeUpdated{
		Programme: &identityv1.Programme{Id: "nice", Settings: &identityv1.ProgrammeSettings{HostMinAge: 60}},
	})
	if err != nil {
		t.Fatal(err)
	}
	svctest.PublishEnvelope(t, f.js, other)
	bad, err := event.New(identityevents.ProgrammeCreated.Subject, "nice", time.Now(), wrapperspb.String("not a programme"))
	if err != nil {
		t.Fatal(err)
	}
	svctest.PublishEnvelope(t, f.js, bad)
	f.drain(t)
	if st, ok, err := programmes.Get(context.Background(), f.pool, "nice"); ok || err != nil {
		t.Fatalf("a copy from an event that carries none: %v %v", st, err)
	}
	// Both were settled (acknowledged or terminated), none left to be retried forever.
	cons, err := f.js.Consumer(context.Background(), identityevents.Stream.Name, service+"-identity")
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		info, err := cons.Info(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if info.NumAckPending == 0 && info.NumRedelivered == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("events left unsettled: %d pending, %d redelivered", info.NumAckPending, info.NumRedelivered)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

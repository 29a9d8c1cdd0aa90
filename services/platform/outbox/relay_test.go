package outbox_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/outbox"
)

// TestRelayPublishesCommittedOnly: what a rolled-back transaction appended never travels;
// committed events travel in seq order, with the event id as Nats-Msg-Id and an envelope that
// decodes to what was appended.
func TestRelayPublishesCommittedOnly(t *testing.T) {
	t.Parallel()
	_, pool := newDB(t)
	_, js := newNATS(t)
	ctx := context.Background()

	first := appendEvents(t, pool, 2, true)
	rolledBack := appendEvents(t, pool, 3, false)
	second := appendEvents(t, pool, 2, true)
	want := append(append([]*eventsv1.Envelope(nil), first...), second...)

	if n := count(t, pool, `SELECT count(*) FROM outbox`); n != len(want) {
		t.Fatalf("outbox holds %d rows after a rollback, want %d", n, len(want))
	}
	rec := consume(t, js, "committed-test")
	startRelay(t, &outbox.Relay{Pool: pool, JS: js})
	assertDeliveredOnce(t, pool, js, "committed-test", rec, ids(want))

	stream, err := js.Stream(ctx, streamName)
	if err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		msg, err := stream.GetMsg(ctx, uint64(i+1))
		if err != nil {
			t.Fatalf("stream message %d: %v", i+1, err)
		}
		if got := msg.Header.Get(jetstream.MsgIDHeader); got != w.GetId() {
			t.Errorf("message %d: Nats-Msg-Id %q, want %q", i+1, got, w.GetId())
		}
		if msg.Subject != subject {
			t.Errorf("message %d: subject %q, want %q", i+1, msg.Subject, subject)
		}
		e, err := event.Decode(msg.Data)
		if err != nil {
			t.Fatalf("message %d does not decode: %v", i+1, err)
		}
		if !proto.Equal(e, w) {
			t.Errorf("message %d: envelope %v, want %v", i+1, e, w)
		}
	}
	got, _ := rec.snapshot()
	for _, e := range rolledBack {
		if got[e.GetId()] != 0 {
			t.Errorf("rolled-back event %s was published", e.GetId())
		}
	}
}

// TestRelayStandbyTakesOver: two relays on one database, only the lock holder publishes; when
// it stops, the standby takes over, and the consumer sees no duplicate.
func TestRelayStandbyTakesOver(t *testing.T) {
	t.Parallel()
	_, pool := newDB(t)
	_, js := newNATS(t)
	rec := consume(t, js, "standby-test")

	var mu sync.Mutex
	publishedBy := map[string]string{} // event id -> relay
	hook := func(relay string) func(string) {
		return func(id string) {
			mu.Lock()
			defer mu.Unlock()
			if prev, ok := publishedBy[id]; ok {
				t.Errorf("event %s published by %s and again by %s", id, prev, relay)
			}
			publishedBy[id] = relay
		}
	}
	publishers := func(events []*eventsv1.Envelope) map[string]int {
		mu.Lock()
		defer mu.Unlock()
		out := map[string]int{}
		for _, e := range events {
			out[publishedBy[e.GetId()]]++
		}
		return out
	}
	stop := map[string]func(){}
	done := map[string]<-chan struct{}{}
	for _, name := range []string{"a", "b"} {
		stop[name], done[name] = startRelay(t, &outbox.Relay{Pool: pool, JS: js, AfterPublish: hook(name)})
	}

	batch1 := appendEvents(t, pool, 3, true)
	waitFor(t, "the first batch to be published", func() bool { return unpublished(t, pool) == 0 })
	by := publishers(batch1)
	if len(by) != 1 {
		t.Fatalf("first batch published by %v, want a single relay", by)
	}
	var active, standby string
	for name := range by {
		active = name
	}
	if active == "a" {
		standby = "b"
	} else {
		standby = "a"
	}
	select {
	case <-done[standby]:
		t.Fatalf("standby relay %s stopped on its own", standby)
	default:
	}

	stop[active]()
	batch2 := appendEvents(t, pool, 3, true)
	waitFor(t, "the standby to publish the second batch", func() bool { return unpublished(t, pool) == 0 })
	if by := publishers(batch2); len(by) != 1 || by[standby] != len(batch2) {
		t.Fatalf("second batch published by %v, want only the standby %s", by, standby)
	}
	assertDeliveredOnce(t, pool, js, "standby-test", rec, append(ids(batch1), ids(batch2)...))
}

// countingJS is a real JetStream context that counts publish attempts, so the test knows the
// relay tried while the server was down.
type countingJS struct {
	jetstream.JetStream
	attempts atomic.Int64
}

func (c *countingJS) PublishMsg(ctx context.Context, m *nats.Msg, opts ...jetstream.PublishOpt) (*jetstream.PubAck, error) {
	c.attempts.Add(1)
	return c.JetStream.PublishMsg(ctx, m, opts...)
}

// TestRelaySurvivesNATSOutage: events committed while NATS is down stay pending, and the relay
// delivers them, each once, when the server is back.
func TestRelaySurvivesNATSOutage(t *testing.T) {
	t.Parallel()
	_, pool := newDB(t)
	srv, js := newNATS(t)
	rec := consume(t, js, "outage-test")
	cjs := &countingJS{JetStream: js}
	startRelay(t, &outbox.Relay{Pool: pool, JS: cjs})

	before := appendEvents(t, pool, 2, true)
	waitFor(t, "the events before the outage to be published", func() bool { return unpublished(t, pool) == 0 })

	srv.Shutdown()
	waitFor(t, "the client to notice the outage", func() bool {
		return js.Conn().Status() != nats.CONNECTED
	})
	tried := cjs.attempts.Load()
	during := appendEvents(t, pool, 3, true)
	waitFor(t, "the relay to try publishing during the outage", func() bool { return cjs.attempts.Load() > tried })
	if n := unpublished(t, pool); n != len(during) {
		t.Fatalf("%d rows pending during the outage, want %d", n, len(during))
	}

	srv.Restart(t)
	after := appendEvents(t, pool, 1, true)
	all := append(append(ids(before), ids(during)...), ids(after)...)
	assertDeliveredOnce(t, pool, js, "outage-test", rec, all)
}

package natsx_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

const (
	streamName = "TEST"
	subject    = "cohabit.test.thing.happened"
	waitLimit  = 15 * time.Second
)

// quiet: the consumer's warnings are expected here, and t.Log from its goroutines could
// outlive the test.
var quiet = slog.New(slog.DiscardHandler)

func setup(t *testing.T) jetstream.JetStream {
	t.Helper()
	srv := natstest.New(t)
	nc, js, err := natsx.Connect(srv.URL(), t.Name(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := natsx.EnsureStream(ctx, js, natsx.Stream{Name: streamName, Subjects: []string{"cohabit.test.>"}}); err != nil {
		t.Fatal(err)
	}
	return js
}

// publish sends a new event whose payload is text, and returns it.
func publish(t *testing.T, js jetstream.JetStream, text string) *eventsv1.Envelope {
	t.Helper()
	e, err := event.New(subject, "prog-1", time.Now(), wrapperspb.String(text))
	if err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(context.Background(), subject, data, jetstream.WithMsgID(e.GetId())); err != nil {
		t.Fatal(err)
	}
	return e
}

// calls counts handler calls per payload text.
type calls struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *calls) add(text string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	c.n[text]++
	return c.n[text]
}

func (c *calls) get(text string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n[text]
}

func (c *calls) snapshot() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]int{}
	for k, v := range c.n {
		out[k] = v
	}
	return out
}

// run starts c until the returned stop is called or the test ends; stop waits for Run.
func run(t *testing.T, js jetstream.JetStream, c *natsx.Consumer) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx, js) }()
	stop = sync.OnceFunc(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	t.Cleanup(stop)
	return stop
}

// text returns an event's payload, or "" for an event that should never reach a handler.
func text(e *eventsv1.Envelope) string {
	p, err := event.Payload(e, &wrapperspb.StringValue{})
	if err != nil {
		return ""
	}
	return p.GetValue()
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	waitWithin(t, waitLimit, what, cond)
}

// waitWithin is waitFor with a limit of its own: a cluster's elections (of the stream's and
// the consumer's leaders) take seconds more on a busy machine than one server does.
func waitWithin(t *testing.T, limit time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", limit, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// settled waits until the durable has nothing pending or awaiting an ack, and returns its
// state: a message in neither set will never be delivered again.
func settled(t *testing.T, js jetstream.JetStream, durable string) *jetstream.ConsumerInfo {
	t.Helper()
	cons, err := js.Consumer(context.Background(), streamName, durable)
	if err != nil {
		t.Fatal(err)
	}
	var info *jetstream.ConsumerInfo
	waitFor(t, "the consumer to settle", func() bool {
		info, err = cons.Info(context.Background())
		return err == nil && info.NumPending == 0 && info.NumAckPending == 0 && info.NumRedelivered == 0
	})
	return info
}

// TestTransientErrorRedelivered: an ordinary error naks the event, which comes back later and
// is acked once the handler succeeds.
func TestTransientErrorRedelivered(t *testing.T) {
	t.Parallel()
	js := setup(t)
	var got calls
	run(t, js, &natsx.Consumer{Stream: streamName, Durable: "transient", Log: quiet,
		Handle: func(_ context.Context, e *eventsv1.Envelope) error {
			if got.add(text(e)) == 1 {
				return errors.New("the state this event needs is not there yet")
			}
			return nil
		}})

	publish(t, js, "late")
	waitFor(t, "the event to be redelivered", func() bool { return got.get("late") >= 2 })
	info := settled(t, js, "transient")
	if n := got.get("late"); n != 2 {
		t.Fatalf("handler called %d times, want 2 (a failure then a success)", n)
	}
	if info.Delivered.Consumer != 2 || info.AckFloor.Stream != 1 {
		t.Fatalf("delivered %d times, ack floor at stream seq %d; want 2 deliveries and seq 1 acked",
			info.Delivered.Consumer, info.AckFloor.Stream)
	}
}

// TestPermanentAndUndecodableTerminated: an ErrPermanent failure and bytes that are no
// envelope are terminated, never redelivered, and do not hold up the events behind them.
func TestPermanentAndUndecodableTerminated(t *testing.T) {
	t.Parallel()
	js := setup(t)
	var got calls
	run(t, js, &natsx.Consumer{Stream: streamName, Durable: "permanent", Log: quiet,
		Handle: func(_ context.Context, e *eventsv1.Envelope) error {
			if got.add(text(e)); text(e) == "poison" {
				return fmt.Errorf("room does not exist: %w", natsx.ErrPermanent)
			}
			return nil
		}})

	publish(t, js, "poison")
	if _, err := js.Publish(context.Background(), subject, []byte("definitely not an envelope")); err != nil {
		t.Fatal(err)
	}
	publish(t, js, "after")
	waitFor(t, "the event behind the bad ones", func() bool { return got.get("after") == 1 })
	info := settled(t, js, "permanent")

	if info.AckFloor.Stream != 3 {
		t.Fatalf("ack floor at stream seq %d, want 3: a terminated message is still outstanding", info.AckFloor.Stream)
	}
	if info.Delivered.Consumer != 3 {
		t.Fatalf("%d deliveries, want 3 (one each, no redelivery)", info.Delivered.Consumer)
	}
	if want := map[string]int{"poison": 1, "after": 1}; fmt.Sprint(got.snapshot()) != fmt.Sprint(want) {
		t.Fatalf("handler calls %v, want %v (the undecodable message never reaches it)", got.snapshot(), want)
	}
}

// TestDurableResumes: a consumer stopped and started again resumes after what it acked.
func TestDurableResumes(t *testing.T) {
	t.Parallel()
	js := setup(t)
	var got calls
	consumer := func() *natsx.Consumer {
		return &natsx.Consumer{Stream: streamName, Durable: "resume", Subjects: []string{subject}, Log: quiet,
			Handle: func(_ context.Context, e *eventsv1.Envelope) error {
				got.add(text(e))
				return nil
			}}
	}

	stop := run(t, js, consumer())
	for i := range 3 {
		publish(t, js, fmt.Sprint("before-", i))
	}
	waitFor(t, "the first events", func() bool { return len(got.snapshot()) == 3 })
	settled(t, js, "resume")
	stop()

	for i := range 2 {
		publish(t, js, fmt.Sprint("while-stopped-", i))
	}
	run(t, js, consumer())
	publish(t, js, "after-restart")
	waitFor(t, "the events published since", func() bool { return len(got.snapshot()) == 6 })
	info := settled(t, js, "resume")

	for k, n := range got.snapshot() {
		if n != 1 {
			t.Errorf("event %s handled %d times, want once", k, n)
		}
	}
	if info.Delivered.Consumer != 6 {
		t.Fatalf("%d deliveries, want 6", info.Delivered.Consumer)
	}
}

// TestHandlerPanicRetried: a panicking handler does not take the process down (it would crash
// again on every redelivery); the event is naked, redelivered, and acked once the handler
// copes.
func TestHandlerPanicRetried(t *testing.T) {
	t.Parallel()
	js := setup(t)
	var got calls
	run(t, js, &natsx.Consumer{Stream: streamName, Durable: "panic", Log: quiet,
		Handle: func(_ context.Context, e *eventsv1.Envelope) error {
			if got.add(text(e)) == 1 {
				panic("handler bug")
			}
			return nil
		}})

	publish(t, js, "trigger")
	waitFor(t, "the event to be redelivered after the panic", func() bool { return got.get("trigger") >= 2 })
	info := settled(t, js, "panic")
	if n := got.get("trigger"); n != 2 || info.AckFloor.Stream != 1 {
		t.Fatalf("handler called %d times, ack floor %d; want 2 calls and seq 1 acked", n, info.AckFloor.Stream)
	}
}

package natstest_test

import (
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cohabit/cohabit/services/platform/natstest"
)

func TestRestartKeepsURLAndStreams(t *testing.T) {
	t.Parallel()
	s := natstest.New(t)
	url := s.URL()

	reconnected := make(chan struct{}, 1)
	nc, err := nats.Connect(url,
		nats.MaxReconnects(-1),
		nats.ReconnectWait(20*time.Millisecond),
		nats.ReconnectHandler(func(*nats.Conn) { reconnected <- struct{}{} }))
	if err != nil {
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	ctx := t.Context()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{
		Name: "EVENTS", Subjects: []string{"events.>"}, Storage: jetstream.FileStorage,
	}); err != nil {
		t.Fatalf("create stream: %v", err)
	}
	if _, err := js.Publish(ctx, "events.before", []byte("1")); err != nil {
		t.Fatalf("publish: %v", err)
	}

	s.Restart(t)
	if s.URL() != url {
		t.Fatalf("URL after restart = %s, want %s", s.URL(), url)
	}
	select {
	case <-reconnected:
	case <-time.After(10 * time.Second):
		t.Fatal("client did not reconnect after restart")
	}
	if _, err := js.Publish(ctx, "events.after", []byte("2")); err != nil {
		t.Fatalf("publish after restart: %v", err)
	}
	info, err := js.Stream(ctx, "EVENTS")
	if err != nil {
		t.Fatalf("stream after restart: %v", err)
	}
	if n := info.CachedInfo().State.Msgs; n != 2 {
		t.Fatalf("stream holds %d messages after restart, want 2", n)
	}

	s.Shutdown()
	s.Shutdown() // twice is fine, and Cleanup will call it again
}

func TestServersAreIndependent(t *testing.T) {
	t.Parallel()
	a, b := natstest.New(t), natstest.New(t)
	if a.URL() == b.URL() {
		t.Fatalf("two servers share %s", a.URL())
	}
}

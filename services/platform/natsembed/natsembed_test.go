package natsembed_test

import (
	"net"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cohabit/cohabit/services/platform/natsembed"
)

func TestStartRequiresStore(t *testing.T) {
	t.Parallel()
	if _, err := natsembed.Start(natsembed.Config{Port: server.RANDOM_PORT}); err == nil {
		t.Fatal("Start without StoreDir succeeded, want an error")
	}
}

func TestStreamsSurviveRestart(t *testing.T) {
	t.Parallel()
	cfg := natsembed.Config{Port: server.RANDOM_PORT, StoreDir: t.TempDir()}

	start := time.Now()
	s := startServer(t, cfg)
	t.Logf("ready in %v", time.Since(start))
	js := connect(t, s.ClientURL())
	ctx := t.Context()
	if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "EVENTS", Subjects: []string{"events.>"}}); err != nil {
		t.Fatalf("create stream: %v", err)
	}
	if _, err := js.Publish(ctx, "events.a", []byte("kept")); err != nil {
		t.Fatalf("publish: %v", err)
	}
	s.Shutdown()
	s.WaitForShutdown()

	s = startServer(t, cfg)
	js = connect(t, s.ClientURL())
	stream, err := js.Stream(ctx, "EVENTS")
	if err != nil {
		t.Fatalf("stream after restart: %v", err)
	}
	msg, err := stream.GetLastMsgForSubject(ctx, "events.a")
	if err != nil {
		t.Fatalf("read back after restart: %v", err)
	}
	if string(msg.Data) != "kept" {
		t.Fatalf("message after restart = %q, want %q", msg.Data, "kept")
	}
}

func TestStartOnBusyPortFails(t *testing.T) {
	t.Parallel()
	s := startServer(t, natsembed.Config{Port: server.RANDOM_PORT, StoreDir: t.TempDir()})
	start := time.Now()
	_, err := natsembed.Start(natsembed.Config{Port: s.Addr().(*net.TCPAddr).Port, StoreDir: t.TempDir()})
	if err == nil {
		t.Fatal("Start on a busy port succeeded, want an error")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Start on a busy port took %v to fail, want it at once", d)
	}
}

func startServer(t *testing.T, cfg natsembed.Config) *server.Server {
	t.Helper()
	s, err := natsembed.Start(cfg)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	return s
}

func connect(t *testing.T, url string) jetstream.JetStream {
	t.Helper()
	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatalf("jetstream: %v", err)
	}
	return js
}

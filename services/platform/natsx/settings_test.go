package natsx_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/wrapperspb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"

	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natsembed"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

func TestLoadStreamSettings(t *testing.T) {
	env := map[string]string{}
	set := natsx.LoadStreamSettings(config.New(func(k string) string { return env[k] }))
	if set != (natsx.StreamSettings{Replicas: 1, MaxAge: 30 * 24 * time.Hour, Duplicates: 10 * time.Minute}) {
		t.Errorf("defaults = %+v", set)
	}
	env = map[string]string{"COHABIT_NATS_REPLICAS": "3", "COHABIT_NATS_MAX_AGE": "240h", "COHABIT_NATS_DUPLICATE_WINDOW": "2m"}
	set = natsx.LoadStreamSettings(config.New(func(k string) string { return env[k] }))
	if set != (natsx.StreamSettings{Replicas: 3, MaxAge: 240 * time.Hour, Duplicates: 2 * time.Minute}) {
		t.Errorf("from the environment = %+v", set)
	}
	s := natsx.Stream{Name: "X", MaxAge: time.Hour}.With(natsx.StreamSettings{Replicas: 3})
	if s.Replicas != 3 || s.MaxAge != time.Hour {
		t.Errorf("With kept %+v, want 3 replicas and the stream's own max age", s)
	}
	for _, bad := range []natsx.Stream{
		{Name: "X", Replicas: 6},
		{Name: "X", MaxAge: time.Minute, Duplicates: time.Hour},
		{Name: "X", MaxAge: -time.Hour},
	} {
		if _, err := bad.Config(); err == nil {
			t.Errorf("Config(%+v) succeeded, want an error", bad)
		}
	}
}

// On one server (make run): the defaults reach JetStream, an existing stream is updated to
// new settings, and the duplicate window drops a republished event.
func TestEnsureStreamSetsAndUpdatesSettings(t *testing.T) {
	js := setup(t) // EnsureStream with the defaults
	ctx := context.Background()
	cfg := streamConfig(t, js, streamName)
	if cfg.Replicas != 1 || cfg.MaxAge != natsx.DefaultMaxAge || cfg.Duplicates != natsx.DefaultDuplicates {
		t.Errorf("defaults on the server: replicas %d, max age %v, duplicates %v", cfg.Replicas, cfg.MaxAge, cfg.Duplicates)
	}
	s := natsx.Stream{Name: streamName, Subjects: []string{"cohabit.test.>"}}.With(natsx.StreamSettings{MaxAge: 48 * time.Hour, Duplicates: time.Minute})
	if err := natsx.EnsureStream(ctx, js, s); err != nil {
		t.Fatal(err)
	}
	cfg = streamConfig(t, js, streamName)
	if cfg.MaxAge != 48*time.Hour || cfg.Duplicates != time.Minute {
		t.Errorf("after the update: max age %v, duplicates %v; want 48h, 1m", cfg.MaxAge, cfg.Duplicates)
	}
	e := publish(t, js, "once")
	if _, err := js.Publish(ctx, subject, []byte("again"), jetstream.WithMsgID(e.GetId())); err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(ctx, streamName)
	if err != nil {
		t.Fatal(err)
	}
	if n := st.CachedInfo().State.Msgs; n != 1 {
		t.Errorf("stream holds %d messages after a republish within the window, want 1", n)
	}
}

// On a 3-node cluster (make cluster): a stream ensured with 3 replicas lives on three nodes,
// and losing the node that leads it loses no event and stops neither publisher nor consumer.
func TestStreamWithThreeReplicasSurvivesItsLeader(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a 3-node cluster")
	}
	nodes, urls := startCluster(t, 3)
	nc, js, err := natsx.Connect(strings.Join(urls, ","), t.Name(), quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	s := natsx.Stream{Name: streamName, Subjects: []string{"cohabit.test.>"}}.With(natsx.StreamSettings{Replicas: 3, MaxAge: 24 * time.Hour, Duplicates: 2 * time.Minute})
	// The cluster elects its meta leader a moment after the nodes start.
	for {
		actx, acancel := context.WithTimeout(ctx, 2*time.Second)
		err := natsx.EnsureStream(actx, js, s)
		acancel()
		if err == nil {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("EnsureStream on the cluster: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	st, err := js.Stream(ctx, streamName)
	if err != nil {
		t.Fatal(err)
	}
	info := st.CachedInfo()
	if info.Config.Replicas != 3 || info.Config.MaxAge != 24*time.Hour || info.Config.Duplicates != 2*time.Minute {
		t.Errorf("on the cluster: replicas %d, max age %v, duplicates %v", info.Config.Replicas, info.Config.MaxAge, info.Config.Duplicates)
	}
	if info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("stream cluster info %+v, want a leader and 2 replicas", info.Cluster)
	}
	leader := info.Cluster.Leader

	var got calls
	run(t, js, &natsx.Consumer{Stream: streamName, Durable: "survivor", Log: quiet, Handle: func(_ context.Context, e *eventsv1.Envelope) error {
		got.add(text(e))
		return nil
	}})
	publish(t, js, "before")
	waitWithin(t, time.Minute, "the event before the loss", func() bool { return got.get("before") == 1 })

	for _, n := range nodes {
		if n.Name() == leader {
			n.Shutdown()
			n.WaitForShutdown()
		}
	}
	// A publish may fail while the remaining nodes elect a new leader: the relay retries
	// the same way.
	deadline := time.Now().Add(30 * time.Second)
	for {
		pctx, pcancel := context.WithTimeout(ctx, 2*time.Second)
		e, err := newEvent("after")
		if err == nil {
			_, err = js.Publish(pctx, subject, e, jetstream.WithMsgID("after-1"))
		}
		pcancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no publish within 30 s of losing the leader %s: %v", leader, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	waitWithin(t, time.Minute, "the event after the loss", func() bool { return got.get("after") == 1 })
	st, err = js.Stream(ctx, streamName)
	if err != nil {
		t.Fatal(err)
	}
	info = st.CachedInfo()
	if info.State.Msgs != 2 || info.Cluster.Leader == leader || info.Cluster.Leader == "" {
		t.Errorf("after losing %s: %d messages, leader %q; want 2 messages and a new leader", leader, info.State.Msgs, info.Cluster.Leader)
	}
	if got.get("before") != 1 {
		t.Errorf("the event before the loss was handled %d times, want 1", got.get("before"))
	}
}

func streamConfig(t *testing.T, js jetstream.JetStream, name string) jetstream.StreamConfig {
	t.Helper()
	st, err := js.Stream(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return st.CachedInfo().Config
}

// startCluster starts n embedded nodes routed to each other, and returns them with their
// client URLs.
func startCluster(t *testing.T, n int) ([]*server.Server, []string) {
	t.Helper()
	ports := make([]int, n)
	routes := make([]string, n)
	for i := range ports {
		ports[i] = freePort(t)
		routes[i] = fmt.Sprintf("nats-route://127.0.0.1:%d", ports[i])
	}
	nodes := make([]*server.Server, n)
	urls := make([]string, n)
	errs := make(chan error, n)
	for i := range nodes {
		go func() {
			s, err := natsembed.Start(natsembed.Config{
				Port:     server.RANDOM_PORT,
				StoreDir: t.TempDir(),
				Cluster:  &natsembed.Cluster{Name: "test", ServerName: fmt.Sprintf("n%d", i+1), Port: ports[i], Routes: routes},
			})
			nodes[i] = s
			errs <- err
		}()
	}
	for range nodes {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	for i, s := range nodes {
		urls[i] = s.ClientURL()
		t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	}
	return nodes, urls
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// newEvent is an encoded event whose payload is text.
func newEvent(text string) ([]byte, error) {
	e, err := event.New(subject, "prog-1", time.Now(), wrapperspb.String(text))
	if err != nil {
		return nil, err
	}
	return proto.Marshal(e)
}

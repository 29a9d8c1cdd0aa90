package service_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/postgres"
	"github.com/cohabit/cohabit/services/hosts/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// TestRetentionErasesTheInactive (SPEC §9): once the programme's retention period (24
// months by default) has passed without activity, the retention job erases a host — her
// record answers NotFound and her erasure is published for every service — while a host
// active within the period (registered then) stays.
func TestRetentionErasesTheInactive(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	offset := time.Duration(0)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(offset) }
	url := svctest.DatabaseURL(t, "hosts", postgres.Sets()...)
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config:            boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
			Now:               now,
			RetentionInterval: 100 * time.Millisecond,
		}, logging.Discard())
	})
	client := hostsv1.NewHostServiceClient(cc)
	js := svctest.JetStream(t, ns.URL())
	coord, _ := svctest.As(t, issuer, auth.RoleCoordinator, "prog-ret")

	idle, err := client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1948-03-12")})
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	offset = 25 * 30 * 24 * time.Hour // a little over 24 months later
	mu.Unlock()
	// Registered then: active within the period.
	active, err := client.CreateHost(coord, &hostsv1.CreateHostRequest{Host: hostInput("1949-04-13")})
	if err != nil {
		t.Fatal(err)
	}
	msgs := svctest.NextEvents(t, js, hostsevents.Stream.Name, hostsevents.HostErased.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	p, err := event.Payload(env, &eventsv1.PersonErased{})
	if err != nil || p.GetPersonId() != idle.GetId() {
		t.Fatalf("erasure event %v, %v; want the idle host %s", p, err, idle.GetId())
	}
	if _, err := client.GetHost(coord, &hostsv1.GetHostRequest{Id: idle.GetId()}); status.Code(err) != codes.NotFound {
		t.Errorf("the idle host after retention: %v, want NotFound", err)
	}
	time.Sleep(300 * time.Millisecond) // a few more runs
	if _, err := client.GetHost(coord, &hostsv1.GetHostRequest{Id: active.GetId()}); err != nil {
		t.Errorf("the active host was erased: %v", err)
	}
}

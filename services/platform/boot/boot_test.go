package boot_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

var sets = []pg.Migrations{outbox.Migrations(), inbox.Migrations(), programmes.Migrations()}

func migrate(ctx context.Context, url string) error { return pg.Migrate(ctx, url, sets...) }

// fixture is a database at the platform's schema, a NATS server holding the identity stream
// (which the programmes consumer reads), and a config pointing at both.
func fixture(t *testing.T) (boot.Config, *natstest.Server) {
	t.Helper()
	url := svctest.DatabaseURL(t, "boot", sets...)
	nats := natstest.New(t)
	js := svctest.JetStream(t, nats.URL())
	if err := natsx.EnsureStream(context.Background(), js, natsx.Stream{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	pub, _ := svctest.Keys(t)
	return boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: nats.URL(), TokenKey: pub, MaxDBConns: 4}, nats
}

func TestRunAssemblesAndStops(t *testing.T) {
	t.Parallel()
	cfg, nats := fixture(t)
	received := make(chan string, 1)
	jobRan := make(chan struct{})
	s := boot.Service{
		Name:       "boottest",
		Stream:     natsx.Stream{Name: "BOOTTEST", Subjects: []string{"cohabit.boottest.>"}},
		Migrate:    migrate,
		Policy:     grpcx.Policy{},
		Programmes: true,
		Build: func(ctx context.Context, d boot.Deps) (boot.Parts, error) {
			// An event written with the state, as a store would: the relay must publish it.
			e, err := event.New("cohabit.boottest.thing.done", "p1", time.Now(), wrapperspb.String("x"))
			if err != nil {
				return boot.Parts{}, err
			}
			if err := pg.InTx(ctx, d.Pool, func(tx pgx.Tx) error { return outbox.Append(ctx, tx, e) }); err != nil {
				return boot.Parts{}, err
			}
			c := &natsx.Consumer{Stream: "BOOTTEST", Durable: "self-boottest", Log: d.Log,
				Handle: func(_ context.Context, e *eventsv1.Envelope) error {
					select {
					case received <- e.GetType():
					default:
					}
					return nil
				}}
			job := func(ctx context.Context) error {
				close(jobRan)
				<-ctx.Done()
				return nil
			}
			return boot.Parts{Consumers: []*natsx.Consumer{c}, Jobs: []func(context.Context) error{job}}, nil
		},
	}
	conn := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		cfg.Ready = ready
		return boot.Run(ctx, s, cfg, logging.Discard())
	})

	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	res, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{})
	if err != nil || res.GetStatus() != grpc_health_v1.HealthCheckResponse_SERVING {
		t.Fatalf("health: %v, %v", res, err)
	}
	select {
	case got := <-received:
		if got != "cohabit.boottest.thing.done" {
			t.Fatalf("consumer received %q", got)
		}
	case <-ctx.Done():
		t.Fatal("the outbox event did not reach the service's consumer")
	}
	select {
	case <-jobRan:
	case <-ctx.Done():
		t.Fatal("the job did not run")
	}
	// The programmes consumer is durable under the service's name.
	js := svctest.JetStream(t, nats.URL())
	for {
		if _, err := js.Consumer(ctx, identityevents.Stream.Name, "boottest-identity"); err == nil {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("no programmes consumer boottest-identity")
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestRunStopsOnAFailureWithTheServiceName(t *testing.T) {
	t.Parallel()
	cfg, _ := fixture(t)
	s := boot.Service{
		Name:    "boottest",
		Stream:  natsx.Stream{Name: "BOOTTEST", Subjects: []string{"cohabit.boottest.>"}},
		Migrate: migrate,
		Build: func(context.Context, boot.Deps) (boot.Parts, error) {
			return boot.Parts{Jobs: []func(context.Context) error{
				func(context.Context) error { return errors.New("job failed") },
			}}, nil
		},
	}
	done := make(chan error, 1)
	go func() { done <- boot.Run(context.Background(), s, cfg, logging.Discard()) }()
	select {
	case err := <-done:
		if err == nil || err.Error() != "boottest: job failed" {
			t.Fatalf("got %v, want boottest: job failed", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a failed job did not stop the service")
	}

	s.Build = func(context.Context, boot.Deps) (boot.Parts, error) { return boot.Parts{}, errors.New("no app") }
	if err := boot.Run(context.Background(), s, cfg, logging.Discard()); err == nil || err.Error() != "boottest: no app" {
		t.Fatalf("got %v, want boottest: no app", err)
	}
}

func TestRunNeedsATokenKeyFirst(t *testing.T) {
	t.Parallel()
	s := boot.Service{
		Name: "boottest",
		Migrate: func(context.Context, string) error {
			t.Error("migrated without a token key")
			return nil
		},
	}
	err := boot.Run(context.Background(), s, boot.Config{TokenKeyFile: t.TempDir() + "/missing.pub"}, logging.Discard())
	if err == nil || !strings.HasPrefix(err.Error(), "boottest: token key: ") {
		t.Fatalf("got %v, want a boottest: token key: error", err)
	}
}

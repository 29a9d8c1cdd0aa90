package svctest_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"testing/fstest"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

func TestStartDialsTheService(t *testing.T) {
	t.Parallel()
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return err
		}
		srv := grpc.NewServer()
		healthpb.RegisterHealthServer(srv, health.NewServer())
		ready(lis.Addr())
		go func() { <-ctx.Done(); srv.GracefulStop() }()
		if err := srv.Serve(lis); err != nil && !errors.Is(err, grpc.ErrServerStopped) {
			return err
		}
		return nil
	})
	res, err := healthpb.NewHealthClient(cc).Check(context.Background(), &healthpb.HealthCheckRequest{})
	if err != nil || res.GetStatus() != healthpb.HealthCheckResponse_SERVING {
		t.Fatalf("health check through the connection: %v %v", res, err)
	}
}

func TestAsCarriesAVerifiableToken(t *testing.T) {
	t.Parallel()
	pub, issuer := svctest.Keys(t)
	ctx, account := svctest.As(t, issuer, auth.RoleCoordinator, "lyon")
	md, _ := metadata.FromOutgoingContext(ctx)
	auths := md.Get("authorization")
	if len(auths) != 1 || len(auths[0]) < len("Bearer ") {
		t.Fatalf("authorization metadata %q", auths)
	}
	p, err := auth.NewVerifier(pub).Verify(auths[0][len("Bearer "):])
	if err != nil {
		t.Fatal(err)
	}
	if p.AccountID != account || p.Role != auth.RoleCoordinator || p.ProgrammeID != "lyon" {
		t.Fatalf("principal %+v, account %q", p, account)
	}
	if _, other := svctest.As(t, issuer, auth.RoleCoordinator, "lyon"); other == account {
		t.Fatal("two calls share an account")
	}
}

func TestWantCode(t *testing.T) {
	t.Parallel()
	s := svctest.WantCode(t, status.Error(codes.NotFound, "no such host"), codes.NotFound)
	if s.Message() != "no such host" {
		t.Fatalf("status %v", s)
	}
	svctest.WantCode(t, nil, codes.OK)
}

func TestConcurrently(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[int]bool{}
	got := svctest.Concurrently(5, func(i int) error {
		mu.Lock()
		defer mu.Unlock()
		seen[i] = true
		switch i {
		case 0:
			return nil
		case 1:
			return errors.New("not a status")
		default:
			return status.Error(codes.Aborted, "stale etag")
		}
	})
	if len(seen) != 5 || len(got) != 3 || got[codes.OK] != 1 || got[codes.Unknown] != 1 || got[codes.Aborted] != 3 {
		t.Fatalf("calls %v, outcomes %v", seen, got)
	}
}

func TestSchemaKeyFollowsEverySet(t *testing.T) {
	t.Parallel()
	own := fstest.MapFS{"00001_a.sql": {Data: []byte("CREATE TABLE a (id int);")}}
	base := svctest.SchemaKey("svc", inbox.Migrations(), pg.Migrations{Table: "a_version", FS: own})
	if base != svctest.SchemaKey("svc", inbox.Migrations(), pg.Migrations{Table: "a_version", FS: own}) {
		t.Fatal("the key is not stable")
	}
	changed := fstest.MapFS{"00001_a.sql": {Data: []byte("CREATE TABLE a (id bigint);")}}
	for name, key := range map[string]string{
		"a set's file changed":  svctest.SchemaKey("svc", inbox.Migrations(), pg.Migrations{Table: "a_version", FS: changed}),
		"a set is missing":      svctest.SchemaKey("svc", pg.Migrations{Table: "a_version", FS: own}),
		"a set is another":      svctest.SchemaKey("svc", inbox.Migrations(), pg.Migrations{Table: "b_version", FS: own}),
		"another service's key": svctest.SchemaKey("other", inbox.Migrations(), pg.Migrations{Table: "a_version", FS: own}),
	} {
		if key == base {
			t.Errorf("%s: the key %s did not change", name, key)
		}
	}
}

func TestDatabaseURLIsMigrated(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := svctest.DatabaseURL(t, "svctest", inbox.Migrations())
	pool, err := pg.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM inbox`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("inbox table: %d %v", n, err)
	}
}

func TestPublishAndNextEvents(t *testing.T) {
	t.Parallel()
	ns := natstest.New(t)
	js := svctest.JetStream(t, ns.URL())
	if err := natsx.EnsureStream(context.Background(), js, natsx.Stream{Name: "TEST", Subjects: []string{"cohabit.test.>"}}); err != nil {
		t.Fatal(err)
	}
	first := svctest.Publish(t, js, "cohabit.test.thing.done", "lyon", wrapperspb.String("one"))
	svctest.Publish(t, js, "cohabit.test.thing.other", "lyon", wrapperspb.String("other"))
	svctest.PublishEnvelope(t, js, first) // a duplicate: no message id, so the stream keeps it

	msgs := svctest.NextEvents(t, js, "TEST", "cohabit.test.thing.done", 2)
	for _, m := range msgs {
		env, err := event.Decode(m.Data())
		if err != nil {
			t.Fatal(err)
		}
		v, err := event.Payload(env, &wrapperspb.StringValue{})
		if err != nil || env.GetId() != first.GetId() || env.GetProgrammeId() != "lyon" || v.GetValue() != "one" {
			t.Fatalf("event %v payload %v: %v", env, v, err)
		}
	}
}

package boot_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// Readiness follows NATS: a replica that lost its NATS connection says NOT_SERVING (so no
// client sends it calls), and SERVING again once reconnected, with no restart.
func TestHealthFollowsNATS(t *testing.T) {
	t.Parallel()
	cfg, nats := fixture(t)
	s := boot.Service{
		Name:    "boottest",
		Stream:  natsx.Stream{Name: "BOOTTEST", Subjects: []string{"cohabit.boottest.>"}},
		Migrate: migrate,
		Policy:  grpcx.Policy{},
		Build:   func(context.Context, boot.Deps) (boot.Parts, error) { return boot.Parts{}, nil },
	}
	conn := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		cfg.Ready = ready
		return boot.Run(ctx, s, cfg, logging.Discard())
	})
	// A plain connection, without grpcx.Dial's client-side health checking (which fails
	// every call to a replica that is not serving, this one included).
	raw, err := grpc.NewClient(conn.Target(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	health := grpc_health_v1.NewHealthClient(raw)
	waitStatus := func(want grpc_health_v1.HealthCheckResponse_ServingStatus) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			res, err := health.Check(ctx, &grpc_health_v1.HealthCheckRequest{})
			cancel()
			if err == nil && res.GetStatus() == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("health %v (%v), want %v", res.GetStatus(), err, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitStatus(grpc_health_v1.HealthCheckResponse_SERVING)
	nats.Shutdown()
	waitStatus(grpc_health_v1.HealthCheckResponse_NOT_SERVING)
	nats.Restart(t)
	waitStatus(grpc_health_v1.HealthCheckResponse_SERVING)
}

// Readiness follows the database too, for the whole server and for each service registered
// on it (no service says SERVING once at start and keeps saying it): a database that refuses
// connections makes the replica NOT_SERVING, and SERVING again once it accepts them.
func TestHealthFollowsTheDatabase(t *testing.T) {
	t.Parallel()
	cfg, _ := fixture(t)
	const thing = "boottest.Thing"
	s := boot.Service{
		Name:    "boottest",
		Stream:  natsx.Stream{Name: "BOOTTEST", Subjects: []string{"cohabit.boottest.>"}},
		Migrate: migrate,
		Policy:  grpcx.Policy{},
		Build: func(_ context.Context, d boot.Deps) (boot.Parts, error) {
			d.Server.RegisterService(&grpc.ServiceDesc{ServiceName: thing, HandlerType: (*any)(nil)}, struct{}{})
			return boot.Parts{}, nil
		},
	}
	conn := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		cfg.Ready = ready
		return boot.Run(ctx, s, cfg, logging.Discard())
	})
	raw, err := grpc.NewClient(conn.Target(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	health := grpc_health_v1.NewHealthClient(raw)
	waitStatus := func(service string, want grpc_health_v1.HealthCheckResponse_ServingStatus) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			res, err := health.Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: service})
			cancel()
			if err == nil && res.GetStatus() == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("health of %q %v (%v), want %v", service, res.GetStatus(), err, want)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitStatus("", grpc_health_v1.HealthCheckResponse_SERVING)
	waitStatus(thing, grpc_health_v1.HealthCheckResponse_SERVING)

	// The database goes away for this service: no new connection, the open ones ended (from
	// the server's maintenance database: a database cannot refuse its own session).
	pcfg, err := pgx.ParseConfig(cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	name := pcfg.Database
	db := pgx.Identifier{name}.Sanitize()
	pcfg.Database = "postgres"
	admin, err := pgx.ConnectConfig(context.Background(), pcfg)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(context.Background())
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := admin.Exec(context.Background(), sql, args...); err != nil {
			t.Fatal(err)
		}
	}
	exec(`ALTER DATABASE ` + db + ` WITH ALLOW_CONNECTIONS false`)
	exec(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, name)
	waitStatus("", grpc_health_v1.HealthCheckResponse_NOT_SERVING)
	waitStatus(thing, grpc_health_v1.HealthCheckResponse_NOT_SERVING)

	exec(`ALTER DATABASE ` + db + ` WITH ALLOW_CONNECTIONS true`)
	waitStatus("", grpc_health_v1.HealthCheckResponse_SERVING)
	waitStatus(thing, grpc_health_v1.HealthCheckResponse_SERVING)
}

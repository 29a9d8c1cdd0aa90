package boot_test

import (
	"context"
	"net"
	"testing"
	"time"

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

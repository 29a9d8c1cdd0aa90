package boot

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// readyInterval is how often watchReadiness checks the database and NATS.
const readyInterval = 2 * time.Second

// watchReadiness keeps the gRPC health status of the whole server ("") and of each service
// registered on it in step with what the service needs to serve: SERVING while the database
// answers a ping and the NATS connection is up, NOT_SERVING otherwise. Clients (grpcx.Dial)
// then send no call to a replica that lost either, Kubernetes' gRPC readiness probe takes it
// out of its service, and the gateway's /readyz says so. No service sets its own status: a
// status set once at start would say SERVING with the database gone. It returns when ctx is
// done; the server's shutdown then says NOT_SERVING for good. gauge says the same to
// Prometheus (cohabit_ready): 1 or 0.
func watchReadiness(ctx context.Context, srv *grpcx.Server, pool *pgxpool.Pool, nc *nats.Conn, gauge prometheus.Gauge, log *slog.Logger) error {
	names := []string{""}
	for name := range srv.GetServiceInfo() {
		if name != healthpb.Health_ServiceDesc.ServiceName {
			names = append(names, name)
		}
	}
	set := func(st healthpb.HealthCheckResponse_ServingStatus) {
		for _, n := range names {
			srv.Health.SetServingStatus(n, st)
		}
	}
	first, serving := true, false
	t := time.NewTicker(readyInterval)
	defer t.Stop()
	for {
		why := ""
		pctx, cancel := context.WithTimeout(ctx, readyInterval)
		if err := pool.Ping(pctx); err != nil {
			why = "database: " + err.Error()
		} else if st := nc.Status(); st != nats.CONNECTED {
			why = "nats: " + st.String()
		}
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if now := why == ""; first || now != serving {
			switch {
			case now:
				if !first {
					log.InfoContext(ctx, "ready again: database and NATS answer")
				}
				set(healthpb.HealthCheckResponse_SERVING)
				gauge.Set(1)
			default:
				log.WarnContext(ctx, "not ready", "why", why)
				set(healthpb.HealthCheckResponse_NOT_SERVING)
				gauge.Set(0)
			}
			first, serving = false, now
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

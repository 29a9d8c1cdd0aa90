package boot

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// readyInterval is how often watchReadiness checks the database and NATS.
const readyInterval = 2 * time.Second

// watchReadiness keeps the gRPC health status ("" , the whole server) in step with what the
// service needs to serve: SERVING while the database answers a ping and the NATS connection
// is up, NOT_SERVING otherwise. Clients (grpcx.Dial) then send no call to a replica that
// lost either, Kubernetes' gRPC readiness probe takes it out of its service, and the
// gateway's /readyz says so. It returns when ctx is done; the server's shutdown then says
// NOT_SERVING for good.
func watchReadiness(ctx context.Context, srv *grpcx.Server, pool *pgxpool.Pool, nc *nats.Conn, log *slog.Logger) error {
	serving := true
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
		if now := why == ""; now != serving {
			serving = now
			if serving {
				log.InfoContext(ctx, "ready again: database and NATS answer")
				srv.Health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
			} else {
				log.WarnContext(ctx, "not ready", "why", why)
				srv.Health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
			}
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

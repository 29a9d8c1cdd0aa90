// Command natsnode runs one NATS server with JetStream: the same embedded server (and
// version) as `make run`, as a process of its own, for a cluster of nodes (`make cluster`,
// and the NATS StatefulSet of deploy/k8s). Debian's nats-server is too old.
//
// It reads COHABIT_NATS_HOST (127.0.0.1), COHABIT_NATS_PORT (4222), COHABIT_NATS_STORE_DIR
// (required), COHABIT_NATS_MONITOR_PORT (8222; 0 for none), and for a cluster node
// COHABIT_NATS_CLUSTER_NAME, COHABIT_NATS_SERVER_NAME (unique, stable: a pod's name),
// COHABIT_NATS_CLUSTER_PORT (6222) and COHABIT_NATS_ROUTES (the nodes' route URLs, comma
// separated; its own is ignored). On SIGTERM it enters lame-duck mode (clients move to
// other nodes) and stops.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natsembed"
	"github.com/cohabit/cohabit/services/platform/run"
)

func main() {
	run.Main(func(ctx context.Context, getenv func(string) string) error {
		e := config.New(getenv)
		cfg := natsembed.Config{
			Host:        e.String("COHABIT_NATS_HOST", "127.0.0.1"),
			Port:        e.Int("COHABIT_NATS_PORT", 4222),
			StoreDir:    e.String("COHABIT_NATS_STORE_DIR", ""),
			MonitorPort: e.Int("COHABIT_NATS_MONITOR_PORT", 8222),
		}
		if name := e.String("COHABIT_NATS_CLUSTER_NAME", ""); name != "" {
			var routes []string
			for _, r := range strings.Split(e.String("COHABIT_NATS_ROUTES", ""), ",") {
				if r = strings.TrimSpace(r); r != "" {
					routes = append(routes, r)
				}
			}
			cfg.Cluster = &natsembed.Cluster{
				Name:       name,
				ServerName: e.String("COHABIT_NATS_SERVER_NAME", ""),
				Port:       e.Int("COHABIT_NATS_CLUSTER_PORT", 6222),
				Routes:     routes,
			}
		}
		if err := e.Err(); err != nil {
			return err
		}
		if cfg.StoreDir == "" {
			return errors.New("COHABIT_NATS_STORE_DIR is required")
		}
		log := logging.New(os.Stderr, getenv("COHABIT_LOG_LEVEL"), getenv("COHABIT_LOG_FORMAT"))
		s, err := natsembed.Start(cfg)
		if err != nil {
			return err
		}
		log.Info("nats node ready", "client", s.ClientURL(), "name", s.Name(), "cluster", cfg.Cluster != nil)
		<-ctx.Done()
		// Lame duck: stop accepting, tell clients to reconnect elsewhere, then shut down.
		s.LameDuckShutdown()
		s.WaitForShutdown()
		fmt.Fprintln(os.Stderr, "nats node stopped")
		return nil
	})
}

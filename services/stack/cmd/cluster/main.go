// Command cluster runs Cohabit on this machine the way production runs it: every part a
// process of its own and none alone — three etcd members, three PostgreSQL nodes under
// Patroni (one synchronous standby, automatic failover), three NATS nodes with routes
// (JetStream, streams with 3 replicas), two replicas of every service and two gateways. A
// supervisor starts again any process that dies, as systemd or Kubernetes would.
//
//	cluster up      start everything, print the addresses, run until Ctrl-C (make cluster)
//	cluster soak    start everything, run the soak with faults (soak.go), stop, report (make soak)
//
// Settings: COHABIT_CLUSTER_DIR (its data, default .data/cluster), COHABIT_CLUSTER_PORT_BASE
// (19100: every port is the base plus a fixed offset, see ports), COHABIT_CLUSTER_BIN (where
// the services' binaries are, default this binary's folder). etcd, patroni and PostgreSQL 15
// come from Debian (scripts/ensure-cluster-tools.sh installs them).
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/cohabit/cohabit/services/platform/logging"
)

func main() {
	log := logging.New(os.Stderr, os.Getenv("COHABIT_LOG_LEVEL"), "text")
	if len(os.Args) < 2 || (os.Args[1] != "up" && os.Args[1] != "soak") {
		fmt.Fprintln(os.Stderr, "usage: cluster up|soak")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1], log); err != nil {
		log.Error("cluster failed", "err", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, mode string, log *slog.Logger) error {
	cfg, err := loadSettings()
	if err != nil {
		return err
	}
	c, err := start(ctx, cfg, log)
	if c != nil {
		defer c.stop()
	}
	if err != nil {
		return err
	}
	switch mode {
	case "up":
		fmt.Print(c.banner())
		<-ctx.Done()
		return nil
	default:
		rep, err := soak(ctx, c, log)
		if rep != nil {
			fmt.Print(rep.String())
			_ = os.WriteFile(filepath.Join(cfg.dir, "soak-report.txt"), []byte(rep.String()), 0o644)
		}
		return err
	}
}

type settings struct {
	dir  string
	base int
	bin  string
}

func loadSettings() (settings, error) {
	s := settings{dir: os.Getenv("COHABIT_CLUSTER_DIR"), base: 19100, bin: os.Getenv("COHABIT_CLUSTER_BIN")}
	if s.dir == "" {
		s.dir = ".data/cluster"
	}
	d, err := filepath.Abs(s.dir)
	if err != nil {
		return s, err
	}
	s.dir = d
	if v := os.Getenv("COHABIT_CLUSTER_PORT_BASE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1024 || n > 65000 {
			return s, fmt.Errorf("COHABIT_CLUSTER_PORT_BASE=%q: a port from 1024 to 65000", v)
		}
		s.base = n
	}
	if s.bin == "" {
		exe, err := os.Executable()
		if err != nil {
			return s, err
		}
		s.bin = filepath.Dir(exe)
	}
	for _, name := range append(serviceNames(), "gateway", "natsnode") {
		if _, err := os.Stat(filepath.Join(s.bin, name)); err != nil {
			return s, errors.New("missing " + filepath.Join(s.bin, name) + ": build the commands first (make build)")
		}
	}
	return s, nil
}

// Package natsembed runs a NATS server with JetStream inside the calling
// process. `make run` uses it so a developer needs no nats-server binary
// (Debian's is too old for the JetStream features the services use), and
// natstest uses it so each test gets its own broker.
package natsembed

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// readyTimeout is generous: the server is usually ready in ~30 ms, but a
// large persistent store is recovered before clients are accepted.
const readyTimeout = 10 * time.Second

// Config says where the server listens and keeps its streams.
type Config struct {
	// Host defaults to 127.0.0.1: a development broker has no
	// authentication and must not be reachable from the network.
	Host string
	// Port 0 means NATS' default 4222; server.RANDOM_PORT (-1) picks a free
	// port, read back from the returned server's ClientURL.
	Port int
	// StoreDir holds JetStream's data, which survives restarts. Required.
	StoreDir string
	// Cluster, when set, makes the server one node of a JetStream cluster.
	Cluster *Cluster
	// MonitorPort, when not 0, serves NATS' monitoring endpoints on Host (/healthz, /jsz,
	// /routez…): the probes of a node in Kubernetes, and the soak's view of the cluster.
	MonitorPort int
}

// Cluster makes a server one node of a JetStream cluster: every node has the same Name and
// routes to the others (a route to itself is ignored); streams of R replicas then live on R
// nodes, and the cluster goes on while a majority of its nodes are up.
type Cluster struct {
	// Name is the cluster's name, the same on every node.
	Name string
	// ServerName is this node's name, unique in the cluster and stable across restarts
	// (JetStream places replicas by it).
	ServerName string
	// Host and Port are where this node listens for routes (Host defaults to Config.Host).
	Host string
	Port int
	// Routes are the other nodes' route URLs, such as nats-route://127.0.0.1:6222.
	Routes []string
}

// Start starts the server and returns once it accepts connections with
// JetStream enabled. The caller owns it: Shutdown, then WaitForShutdown.
func Start(cfg Config) (*server.Server, error) {
	if cfg.StoreDir == "" {
		return nil, errors.New("natsembed: StoreDir is required")
	}
	if err := os.MkdirAll(cfg.StoreDir, 0o700); err != nil {
		return nil, fmt.Errorf("natsembed: create store %s: %w", cfg.StoreDir, err)
	}
	host := cfg.Host
	if host == "" {
		host = "127.0.0.1"
	}
	// The server reports a busy port only through its logger and then never
	// becomes ready; checking first turns a silent 10 s wait into a clear
	// error. Another process could still take the port in between, which
	// the readiness wait below catches.
	if cfg.Port > 0 {
		addr := net.JoinHostPort(host, strconv.Itoa(cfg.Port))
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("natsembed: listen on %s: %w", addr, err)
		}
		_ = l.Close()
	}
	opts := &server.Options{
		Host:      host,
		Port:      cfg.Port,
		JetStream: true,
		StoreDir:  cfg.StoreDir,
		// The embedding process owns signals (graceful shutdown of the
		// whole process); the server must not react to them on its own.
		NoSigs: true,
		// A lame-duck shutdown (natsnode on SIGTERM) spreads its clients' reconnections
		// over this long, not NATS' default of two minutes.
		LameDuckDuration:    5 * time.Second,
		LameDuckGracePeriod: time.Second,
	}
	if cfg.MonitorPort != 0 {
		opts.HTTPHost, opts.HTTPPort = host, cfg.MonitorPort
	}
	if c := cfg.Cluster; c != nil {
		if c.Name == "" || c.ServerName == "" || c.Port == 0 {
			return nil, errors.New("natsembed: a cluster node needs a cluster name, a server name and a route port")
		}
		ch := c.Host
		if ch == "" {
			ch = host
		}
		opts.ServerName = c.ServerName
		opts.Cluster = server.ClusterOpts{Name: c.Name, Host: ch, Port: c.Port}
		for _, r := range c.Routes {
			u, err := url.Parse(r)
			if err != nil {
				return nil, fmt.Errorf("natsembed: route %q: %w", r, err)
			}
			opts.Routes = append(opts.Routes, u)
		}
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("natsembed: configure server on %s:%d: %w", host, cfg.Port, err)
	}
	s.Start()
	if !s.ReadyForConnections(readyTimeout) {
		s.Shutdown()
		s.WaitForShutdown()
		return nil, fmt.Errorf("natsembed: server on %s:%d not ready within %v (port in use?)", host, cfg.Port, readyTimeout)
	}
	// Without a logger a failure to enable JetStream is silent, and the
	// server runs on as plain NATS; every stream call would then fail far
	// from the cause.
	if !s.JetStreamEnabled() {
		s.Shutdown()
		s.WaitForShutdown()
		return nil, fmt.Errorf("natsembed: JetStream did not start with store %s", cfg.StoreDir)
	}
	return s, nil
}

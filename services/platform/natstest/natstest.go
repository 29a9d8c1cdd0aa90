// Package natstest gives a test its own NATS server with JetStream, on a
// random port with a temporary store, so tests run in parallel without a
// shared broker and without Docker.
package natstest

import (
	"net"
	"strconv"
	"sync"
	"testing"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/cohabit/cohabit/services/platform/natsembed"
)

// Server is an embedded JetStream server owned by one test.
type Server struct {
	mu  sync.Mutex
	cfg natsembed.Config // Port fixed after the first start, for Restart
	srv *server.Server   // nil while shut down
}

// New starts a server for t and shuts it down when t ends.
func New(t testing.TB) *Server {
	t.Helper()
	s := &Server{cfg: natsembed.Config{
		Host:     "127.0.0.1",
		Port:     server.RANDOM_PORT,
		StoreDir: t.TempDir(),
	}}
	// Registered after t.TempDir's removal, so it runs before it: the
	// server must let go of its store files first.
	t.Cleanup(s.Shutdown)
	if err := s.start(); err != nil {
		t.Fatalf("natstest: %v", err)
	}
	return s
}

// URL is the client URL, the same across restarts.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "nats://" + net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
}

// Restart shuts the server down and starts it again on the same port and
// store, to test that clients reconnect and that streams and consumers
// survive.
func (s *Server) Restart(t testing.TB) {
	t.Helper()
	s.Shutdown()
	if err := s.start(); err != nil {
		t.Fatalf("natstest: restart: %v", err)
	}
}

// Shutdown stops the server and waits until it has; clients see a
// disconnect. It may be called more than once.
func (s *Server) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv == nil {
		return
	}
	s.srv.Shutdown()
	s.srv.WaitForShutdown()
	s.srv = nil
}

func (s *Server) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	srv, err := natsembed.Start(s.cfg)
	if err != nil {
		return err
	}
	s.srv = srv
	if s.cfg.Port == server.RANDOM_PORT {
		s.cfg.Port = srv.Addr().(*net.TCPAddr).Port
	}
	return nil
}

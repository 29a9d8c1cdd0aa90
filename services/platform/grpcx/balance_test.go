package grpcx_test

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/peer"

	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// Two replicas behind one connection: calls alternate between them, a replica whose health
// says it is not serving gets none, and one that stops is left out without a failed call.
func TestDialBalancesOverHealthyReplicas(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var servers [2]*grpcx.Server
	var addrs [2]string
	stopped := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	cancels := [2]context.CancelFunc{}
	for i := range servers {
		servers[i] = grpcx.NewServer(log, nil, grpcx.Policy{})
		ready := make(chan net.Addr, 1)
		sctx, scancel := context.WithCancel(ctx)
		cancels[i] = scancel
		go func() {
			defer close(stopped[i])
			_ = servers[i].Serve(sctx, "127.0.0.1:0", func(a net.Addr) { ready <- a })
		}()
		addrs[i] = (<-ready).String()
	}
	cc, err := grpcx.Dial(addrs[0] + "," + addrs[1])
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	client := healthpb.NewHealthClient(cc)
	// who answers n calls, by address; every call must succeed.
	who := func(n int) map[string]int {
		t.Helper()
		seen := map[string]int{}
		for range n {
			var p peer.Peer
			cctx, ccancel := context.WithTimeout(ctx, 5*time.Second)
			_, err := client.Check(cctx, &healthpb.HealthCheckRequest{}, grpc.Peer(&p), grpc.WaitForReady(true))
			ccancel()
			if err != nil {
				t.Fatalf("call failed: %v", err)
			}
			seen[p.Addr.String()]++
		}
		return seen
	}
	// Until both subchannels are ready, round robin uses those that are.
	deadline := time.Now().Add(5 * time.Second)
	for len(who(10)) < 2 {
		if time.Now().After(deadline) {
			t.Fatal("calls never reached both replicas")
		}
		time.Sleep(50 * time.Millisecond)
	}
	if seen := who(20); seen[addrs[0]] != 10 || seen[addrs[1]] != 10 {
		t.Errorf("20 calls went %v, want 10 to each replica", seen)
	}

	servers[0].Health.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	deadline = time.Now().Add(5 * time.Second)
	for who(10)[addrs[0]] > 0 {
		if time.Now().After(deadline) {
			t.Fatal("a replica that is not serving still gets calls")
		}
		time.Sleep(50 * time.Millisecond)
	}
	servers[0].Health.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	cancels[1]()
	<-stopped[1]
	if seen := who(20); seen[addrs[0]] != 20 {
		t.Errorf("after the second replica stopped, 20 calls went %v, want all to the first", seen)
	}
}

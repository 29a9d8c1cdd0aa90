package service_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/services/contracts/internal/eventsub"
	"github.com/cohabit/cohabit/services/contracts/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// The crash test re-executes this test binary as a child that runs the whole service
// (TestHelperContractsProcess), and SIGKILLs it while it drafts contracts.
const (
	envHelper     = "COHABIT_CONTRACTS_HELPER"
	envHelperDB   = "COHABIT_CONTRACTS_HELPER_DB"
	envHelperNATS = "COHABIT_CONTRACTS_HELPER_NATS"
	helperPrefix  = "HELPER "
)

// TestHelperContractsProcess is not a test: it is the child process of TestCrashWhileDrafting.
func TestHelperContractsProcess(t *testing.T) {
	if os.Getenv(envHelper) == "" {
		t.Skip("child process of the crash test; runs only when it starts it")
	}
	pub, _, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	err = service.Run(context.Background(), service.Config{
		Config: boot.Config{
			GRPCAddr: "127.0.0.1:0", DatabaseURL: os.Getenv(envHelperDB),
			NATSURL: os.Getenv(envHelperNATS), TokenKey: pub, MaxDBConns: 4,
			Ready: func(net.Addr) { fmt.Fprintln(os.Stdout, helperPrefix+"ready") },
		},
		JobInterval: -1,
	}, logging.Discard())
	t.Fatalf("the service stopped: %v", err)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startChild runs the service in a child process and waits until it listens. The returned
// kill SIGKILLs it (at the latest when the test ends) and checks that it died of it.
func startChild(t *testing.T, env ...string) (kill func()) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperContractsProcess$", "-test.count=1", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), append([]string{envHelper + "=1"}, env...)...)
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		once := sync.OnceFunc(func() { close(ready) })
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), helperPrefix+"ready") {
				once()
			}
		}
	}()
	kill = sync.OnceFunc(func() {
		// Not waited for yet, so the pid cannot have been reused.
		if err := syscall.Kill(cmd.Process.Pid, syscall.SIGKILL); err != nil {
			t.Errorf("kill child %d: %v", cmd.Process.Pid, err)
		}
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("child did not die of SIGKILL: %v; stderr:\n%s", err, stderr.String())
		}
	})
	t.Cleanup(kill)
	select {
	case <-ready:
	case <-time.After(30 * time.Second):
		t.Fatalf("child did not start; stderr:\n%s", stderr.String())
	}
	return kill
}

// TestCrashWhileDrafting: the service is SIGKILLed while it drafts contracts for a stream of
// approved matches (some approvals delivered twice, some published twice with different
// envelope ids); once restarted, every approved match has exactly one contract and one
// drafted event.
func TestCrashWhileDrafting(t *testing.T) {
	t.Parallel()
	const n = 300
	e := &env{}
	e.url = svctest.DatabaseURL(t, "contracts", postgresSets()...)
	e.ns, e.js = newNATS(t)
	pool := openPool(t, e.url)
	e.pool = pool

	h, s := party{id: "0190f3a2-7c1e-7000-8000-00000000000a"}, party{id: "0190f3a2-7c1e-7000-8000-00000000000b"}
	matches := map[string]bool{}
	for i := range n {
		m := approved("lyon", h, s, false)
		matches[m.GetMatch().GetMatchId()] = true
		env := envelopeOf(t, matchingevents.MatchApproved.Subject, "lyon", m)
		publishWithID(t, e.js, env, env.GetId())
		switch i % 10 {
		case 3: // the same envelope again, past JetStream's duplicate window
			publishWithID(t, e.js, env, env.GetId()+"-again")
		case 7: // the same match approved in a second envelope
			again := envelopeOf(t, matchingevents.MatchApproved.Subject, "lyon", m)
			publishWithID(t, e.js, again, again.GetId())
		}
	}

	kill := startChild(t, envHelperDB+"="+e.url, envHelperNATS+"="+e.ns.URL())
	eventually(t, "the child drafts", func() bool { return e.count(t, `SELECT count(*) FROM contracts`) > 0 })
	kill()
	drafted := e.count(t, `SELECT count(*) FROM contracts`)
	t.Logf("the child drafted %d of %d contracts before it was killed", drafted, n)

	pub, _ := svctest.Keys(t)
	svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config: boot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: e.url, NATSURL: e.ns.URL(), TokenKey: pub,
				Ready: ready,
			},
			JobInterval: -1,
		}, logging.Discard())
	})
	// The events the child had received but not acknowledged come back after the consumer's
	// ack wait (30 s): that is the wait.
	e.drainedWithin(t, 90*time.Second, matchingevents.Stream.Name, eventsub.DurableMatching)
	if got := e.count(t, `SELECT count(*) FROM contracts`); got != n {
		t.Fatalf("%d contracts for %d approved matches", got, n)
	}
	rows, err := pool.Query(context.Background(), `SELECT match_id FROM contracts`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if !matches[id] {
			t.Fatalf("a contract for unknown match %s", id)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if got := e.count(t, `SELECT count(*) FROM outbox WHERE subject = $1`, contractsevents.ContractDrafted.Subject); got != n {
		t.Fatalf("%d drafted events in the outbox for %d contracts", got, n)
	}
	// Every drafted event reaches the CONTRACTS stream once, whatever the relay was doing
	// when it died.
	eventually(t, "drafted events relayed", func() bool {
		return e.count(t, `SELECT count(*) FROM outbox WHERE published_at IS NULL`) == 0
	})
	st, err := e.js.Stream(context.Background(), contractsevents.Stream.Name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background(), jetstream.WithSubjectFilter(contractsevents.ContractDrafted.Subject))
	if err != nil {
		t.Fatal(err)
	}
	if got := info.State.Subjects[contractsevents.ContractDrafted.Subject]; got != n {
		t.Fatalf("the stream holds %d drafted events, want %d", got, n)
	}
}

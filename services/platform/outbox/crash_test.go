package outbox_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// The crash tests re-execute this test binary as a child that runs TestHelperRelayProcess,
// told what to do by these variables, and SIGKILL it at the worst moment.
const (
	envMode   = "COHABIT_OUTBOX_HELPER"
	envDB     = "COHABIT_OUTBOX_HELPER_DB"
	envNATS   = "COHABIT_OUTBOX_HELPER_NATS"
	envEvents = "COHABIT_OUTBOX_HELPER_EVENTS"

	// modeCommit appends events in a committed transaction, says so, and waits to be killed:
	// no relay ever runs in the child.
	modeCommit = "commit"
	// modeRelay runs a relay whose AfterPublish says which event JetStream acknowledged and
	// then blocks, so the child dies with that row unmarked.
	modeRelay = "relay"

	// linePrefix tells the child's protocol lines from anything else on its stdout.
	linePrefix = "HELPER "
)

// TestHelperRelayProcess is not a test: it is the child process of the crash tests.
func TestHelperRelayProcess(t *testing.T) {
	mode := os.Getenv(envMode)
	if mode == "" {
		t.Skip("child process of the outbox crash tests; runs only when they start it")
	}
	ctx := context.Background()
	pool, err := pg.Open(ctx, os.Getenv(envDB), 4)
	if err != nil {
		t.Fatal(err)
	}
	say := func(format string, args ...any) {
		// Unbuffered: the line is out before the parent kills us.
		fmt.Fprintf(os.Stdout, linePrefix+format+"\n", args...)
	}
	block := func() {
		for {
			time.Sleep(time.Hour)
		}
	}
	switch mode {
	case modeCommit:
		n, err := strconv.Atoi(os.Getenv(envEvents))
		if err != nil {
			t.Fatal(err)
		}
		events, err := newEvents(n, "child")
		if err != nil {
			t.Fatal(err)
		}
		if err := pg.InTx(ctx, pool, func(tx pgx.Tx) error { return outbox.Append(ctx, tx, events...) }); err != nil {
			t.Fatal(err)
		}
		say("committed %s", strings.Join(ids(events), ","))
		block()
	case modeRelay:
		_, js, err := natsx.Connect(os.Getenv(envNATS), "relay-child", quiet)
		if err != nil {
			t.Fatal(err)
		}
		r := &outbox.Relay{Pool: pool, JS: js, Log: quiet, Name: relayName, AfterPublish: func(id string) {
			say("published %s", id)
			block()
		}}
		_ = r.Run(ctx)
	default:
		t.Fatalf("unknown helper mode %q", mode)
	}
}

// child is a running helper process.
type child struct {
	cmd    *exec.Cmd
	lines  chan string
	stderr *lockedBuffer
	kill   func()
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

// startChild starts the helper in mode; it is SIGKILLed at the latest when the test ends.
func startChild(t *testing.T, mode string, env ...string) *child {
	t.Helper()
	// -test.timeout: a child the parent failed to kill still dies on its own.
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRelayProcess$", "-test.count=1", "-test.timeout=2m")
	cmd.Env = append(os.Environ(), append([]string{envMode + "=" + mode}, env...)...)
	c := &child{cmd: cmd, lines: make(chan string, 16), stderr: &lockedBuffer{}}
	cmd.Stderr = c.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), linePrefix); ok {
				c.lines <- line
			}
		}
	}()
	c.kill = sync.OnceFunc(func() {
		// The child has not been waited for yet, so its pid cannot have been reused.
		if err := syscall.Kill(cmd.Process.Pid, syscall.SIGKILL); err != nil {
			t.Errorf("kill child %d: %v", cmd.Process.Pid, err)
		}
		err := cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Errorf("child did not die of SIGKILL: %v; stderr:\n%s", err, c.stderr.String())
		}
	})
	t.Cleanup(c.kill)
	return c
}

// expect waits for the child's next protocol line, which must start with verb, and returns
// the rest.
func (c *child) expect(t *testing.T, verb string) string {
	t.Helper()
	select {
	case line, ok := <-c.lines:
		if !ok {
			t.Fatalf("child exited before saying %q; stderr:\n%s", verb, c.stderr.String())
		}
		rest, found := strings.CutPrefix(line, verb+" ")
		if !found {
			t.Fatalf("child said %q, want %q", line, verb)
		}
		return rest
	case <-time.After(30 * time.Second):
		t.Fatalf("child did not say %q within 30s; stderr:\n%s", verb, c.stderr.String())
	}
	return ""
}

// TestCrashAfterCommitBeforePublish: a process commits events and dies before any relay ran;
// the next relay publishes them, and the consumer gets each exactly once.
func TestCrashAfterCommitBeforePublish(t *testing.T) {
	t.Parallel()
	url, pool := newDB(t)
	_, js := newNATS(t)

	c := startChild(t, modeCommit, envDB+"="+url, envEvents+"=3")
	committed := strings.Split(c.expect(t, "committed"), ",")
	c.kill()

	if got := pendingIDs(t, pool); fmt.Sprint(got) != fmt.Sprint(committed) {
		t.Fatalf("pending after the crash %v, want %v", got, committed)
	}
	rec := consume(t, js, "crash-commit-test")
	startRelay(t, &outbox.Relay{Pool: pool, JS: js})
	assertDeliveredOnce(t, pool, js, "crash-commit-test", rec, committed)
}

// TestCrashAfterPublishBeforeMark: the relay dies after JetStream acknowledged an event and
// before marking its row; the next relay republishes it, JetStream's duplicate window drops
// the copy, and the consumer gets each event exactly once.
func TestCrashAfterPublishBeforeMark(t *testing.T) {
	t.Parallel()
	url, pool := newDB(t)
	srv, js := newNATS(t)
	events := ids(appendEvents(t, pool, 3, true))

	c := startChild(t, modeRelay, envDB+"="+url, envNATS+"="+srv.URL())
	published := c.expect(t, "published")
	c.kill()

	if published != events[0] {
		t.Fatalf("child published %s first, want %s", published, events[0])
	}
	if got := pendingIDs(t, pool); fmt.Sprint(got) != fmt.Sprint(events) {
		t.Fatalf("pending after the crash %v, want every event %v (the published one unmarked)", got, events)
	}
	stream, err := js.Stream(context.Background(), streamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 1 {
		t.Fatalf("stream holds %d messages after the crash, want the 1 acknowledged", info.State.Msgs)
	}

	rec := consume(t, js, "crash-publish-test")
	startRelay(t, &outbox.Relay{Pool: pool, JS: js})
	assertDeliveredOnce(t, pool, js, "crash-publish-test", rec, events)
}

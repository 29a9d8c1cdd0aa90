package periodic_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/periodic"
)

// A job runs at start, then at each tick; a failed run is logged and the job goes on; the
// loop ends, without error, with its context.
func TestLoop(t *testing.T) {
	t.Parallel()
	var (
		mu   sync.Mutex // runs
		buf  = &lockedBuffer{}
		runs int
	)
	log := slog.New(slog.NewTextHandler(buf, nil))
	ctx, cancel := context.WithCancel(context.Background())
	third := make(chan struct{})
	job := periodic.Job{Name: "count", Every: 10 * time.Millisecond, Run: func(context.Context) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		runs++
		switch runs {
		case 1:
			return 0, errors.New("database gone")
		case 3:
			close(third)
		}
		return 2, nil
	}}
	done := make(chan error, 1)
	fs := periodic.Funcs(log, job)
	if len(fs) != 1 {
		t.Fatalf("%d loops for one job", len(fs))
	}
	go func() { done <- fs[0](ctx) }()
	select {
	case <-third:
	case <-time.After(5 * time.Second):
		t.Fatal("the job did not run again after its failure")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("loop ended with %v", err)
	}
	out := buf.String()
	if !strings.Contains(out, "database gone") || !strings.Contains(out, "changed=2") {
		t.Fatalf("log:\n%s", out)
	}
}

// A job without an interval never runs.
func TestNoInterval(t *testing.T) {
	t.Parallel()
	ran := false
	job := periodic.Job{Name: "off", Every: -1, Run: func(context.Context) (int, error) { ran = true; return 0, nil }}
	if err := job.Loop(context.Background(), slog.New(slog.DiscardHandler)); err != nil || ran {
		t.Fatalf("ran %v, err %v", ran, err)
	}
}

// lockedBuffer is a log's output that the test reads while the loop may still write.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A job with a Wake channel runs again as soon as it is woken, long before its tick.
func TestWake(t *testing.T) {
	t.Parallel()
	runs := make(chan struct{}, 10)
	wake := make(chan struct{}, 1)
	job := periodic.Job{Name: "woken", Every: time.Hour, Wake: wake, Run: func(context.Context) (int, error) {
		runs <- struct{}{}
		return 0, nil
	}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = job.Loop(ctx, slog.New(slog.DiscardHandler)) }()
	for i := range 2 {
		if i == 1 {
			wake <- struct{}{}
		}
		select {
		case <-runs:
		case <-time.After(5 * time.Second):
			t.Fatalf("run %d did not come", i+1)
		}
	}
}

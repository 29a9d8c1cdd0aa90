package poolcache

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// versions is a Source whose pools are n applications each, at a version the test moves: the
// cache's own rules (when to rebuild, what to keep) under test, without a database (the
// version's rules in PostgreSQL are tested in service/replicas_test.go).
type versions struct {
	mu    sync.Mutex
	v     map[string]int64
	n     int
	loads atomic.Int64
	gate  chan struct{} // when set, each load waits on it
}

func (s *versions) PoolVersion(_ context.Context, p string) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.v[p], nil
}

func (s *versions) PoolSnapshot(_ context.Context, p string) (int64, []pool.Offer, []pool.Seeker, error) {
	s.loads.Add(1)
	if s.gate != nil {
		<-s.gate
	}
	v, _ := s.PoolVersion(context.Background(), p)
	seekers := make([]pool.Seeker, s.n)
	for i := range seekers {
		id := uuid.NewString()
		seekers[i] = pool.Seeker{
			Application: pool.Application{ID: uuid.NewString(), StudentID: id, ProgrammeID: p, Status: pool.ApplicationSubmitted},
			Student:     pool.Student{ID: id, ProgrammeID: p, Status: pool.StudentVerified, DisplayName: fmt.Sprintf("s%d", i)},
		}
	}
	return v, nil, seekers, nil
}

func (s *versions) bump(p string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.v[p]++
}

func TestCacheRebuildsOnlyWhenTheVersionMoved(t *testing.T) {
	src := &versions{v: map[string]int64{}, n: 10}
	c := New(src, score.NewLanguageTable(), 1<<20, nil)
	ctx := context.Background()
	a, err := c.Get(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := c.Get(ctx, "p")
	if a != b || src.loads.Load() != 1 {
		t.Fatalf("a second read at the same version rebuilt (%d loads)", src.loads.Load())
	}
	src.bump("p")
	b, _ = c.Get(ctx, "p")
	if a == b || b.Version != 1 || src.loads.Load() != 2 {
		t.Fatalf("after the version moved: version %d, %d loads", b.Version, src.loads.Load())
	}
	if st := c.Stats(); st.Hits != 1 || st.Builds != 2 || st.Programmes != 1 || st.Bytes != b.Bytes {
		t.Fatalf("stats %+v", st)
	}
}

func TestCacheSharesOneRebuild(t *testing.T) {
	src := &versions{v: map[string]int64{}, n: 10, gate: make(chan struct{})}
	c := New(src, score.NewLanguageTable(), 1<<20, nil)
	var wg sync.WaitGroup
	got := make([]*Snapshot, 8)
	for i := range got {
		wg.Go(func() {
			s, err := c.Get(context.Background(), "p")
			if err != nil {
				t.Error(err)
			}
			got[i] = s
		})
	}
	for src.loads.Load() == 0 { // until the first reader loads; the others wait on it
		runtime.Gosched()
	}
	close(src.gate)
	wg.Wait()
	if n := src.loads.Load(); n != 1 {
		t.Fatalf("%d loads for 8 concurrent reads of one version", n)
	}
	for _, s := range got {
		if s != got[0] {
			t.Fatal("readers got different snapshots of one version")
		}
	}
}

func TestCacheKeepsTheRecentWithinItsBudget(t *testing.T) {
	src := &versions{v: map[string]int64{}, n: 100}
	one := Build("x", 0, nil, mustSeekers(t, src, "x"), score.NewLanguageTable()).Bytes
	// Room for two pools, not three.
	c := New(src, score.NewLanguageTable(), 2*one+one/2, nil)
	ctx := context.Background()
	for _, p := range []string{"a", "b", "a", "c"} { // "b" is the least recently used when "c" comes
		if _, err := c.Get(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	st := c.Stats()
	if st.Programmes != 2 || st.Evictions != 1 || st.Bytes > st.Budget {
		t.Fatalf("stats %+v", st)
	}
	loads := src.loads.Load()
	if _, err := c.Get(ctx, "a"); err != nil || src.loads.Load() != loads {
		t.Fatalf("a, recently used, was dropped: %v", err)
	}
	if _, err := c.Get(ctx, "b"); err != nil || src.loads.Load() != loads+1 {
		t.Fatalf("b, the least recently used, was kept: %v", err)
	}

	// A pool larger than the whole budget is served, not kept.
	small := New(src, score.NewLanguageTable(), one/2, nil)
	if s, err := small.Get(ctx, "a"); err != nil || s == nil {
		t.Fatal(err)
	}
	if st := small.Stats(); st.Programmes != 0 || st.Bytes != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func mustSeekers(t *testing.T, src *versions, p string) []pool.Seeker {
	t.Helper()
	_, _, s, err := src.PoolSnapshot(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	src.loads.Store(0)
	return s
}

package poolcache

import (
	"container/list"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/matching/internal/score"
)

// Source is where snapshots come from: the database copy of the pool, which the consumers
// keep (postgres.Store).
type Source interface {
	// PoolVersion is the programme's pool version now; every change bumps it in its own
	// transaction.
	PoolVersion(ctx context.Context, programmeID string) (int64, error)
	// PoolSnapshot is the programme's pool with the version it is at, read at one instant.
	PoolSnapshot(ctx context.Context, programmeID string) (int64, []pool.Offer, []pool.Seeker, error)
}

// Cache serves each programme's current Snapshot. Every Get reads the programme's version
// (one indexed row); the snapshot held is served when it is at that version or newer, and
// rebuilt from the source otherwise, so a reader never sees a pool older than the last change
// committed before its read began, whichever replica's consumer committed it. Concurrent Gets
// of one programme share one rebuild. Snapshots are kept in least-recently-used order within
// a byte budget (Snapshot.Bytes); one larger than the whole budget is served and not kept.
// Safe for concurrent use.
type Cache struct {
	src    Source
	langs  *score.LanguageTable
	budget int64
	log    *slog.Logger

	mu      sync.Mutex
	lru     *list.List // of *Snapshot, most recently used first
	byProg  map[string]*list.Element
	loading map[string]*load
	used    int64
	stats   Stats
}

// Stats report what a Cache holds and did.
type Stats struct {
	Programmes   int   // snapshots held
	Rooms        int   // rooms in the snapshots held
	Applications int   // applications in the snapshots held
	Bytes        int64 // their estimated size
	Budget       int64
	Hits         int64 // Gets served from memory
	Builds       int64 // snapshots built (a first read, or a version that moved)
	Evictions    int64 // snapshots dropped for the budget
}

func (s Stats) String() string {
	return fmt.Sprintf("%d programmes, %.1f MiB of %.1f MiB; %d hits, %d builds, %d evictions",
		s.Programmes, float64(s.Bytes)/(1<<20), float64(s.Budget)/(1<<20), s.Hits, s.Builds, s.Evictions)
}

type load struct {
	done chan struct{}
	snap *Snapshot
	err  error
}

// New returns a cache over src keeping at most budget bytes of snapshots (0: none is kept,
// every read rebuilds); langs is the table the rankings' queries use.
func New(src Source, langs *score.LanguageTable, budget int64, log *slog.Logger) *Cache {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Cache{src: src, langs: langs, budget: max(budget, 0), log: log,
		lru: list.New(), byProg: map[string]*list.Element{}, loading: map[string]*load{}}
}

// Get returns the programme's pool as of now.
func (c *Cache) Get(ctx context.Context, programmeID string) (*Snapshot, error) {
	v, err := c.src.PoolVersion(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	for {
		c.mu.Lock()
		var held *Snapshot // behind v: patched up to date when the source can say what changed
		if el, ok := c.byProg[programmeID]; ok {
			s := el.Value.(*Snapshot)
			if s.Version >= v {
				c.lru.MoveToFront(el)
				c.stats.Hits++
				c.mu.Unlock()
				return s, nil
			}
			held = s
		}
		l, running := c.loading[programmeID]
		if !running {
			l = &load{done: make(chan struct{})}
			c.loading[programmeID] = l
		}
		c.mu.Unlock()
		if !running {
			c.build(ctx, programmeID, l, held)
		}
		select {
		case <-l.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if l.err != nil {
			return nil, l.err
		}
		// A rebuild that began before version v committed may be older: then build again.
		if l.snap.Version >= v {
			return l.snap, nil
		}
	}
}

// build loads and keeps the programme's snapshot, then wakes the Gets waiting on l. It runs
// detached from the caller's cancellation: the others waiting need it finished. With a held
// snapshot and a ChangeSource, it reads only what changed since held and patches it; it reads
// the whole pool when it cannot.
func (c *Cache) build(ctx context.Context, programmeID string, l *load, held *Snapshot) {
	defer close(l.done)
	start := time.Now()
	ctx = context.WithoutCancel(ctx)
	var (
		s   *Snapshot
		err error
	)
	how := "read whole"
	if cs, ok := c.src.(ChangeSource); ok && held != nil {
		ch, ok, cerr := cs.PoolChanges(ctx, programmeID, held.Version, MaxChanges)
		switch {
		case cerr != nil:
			c.log.WarnContext(ctx, "matching pool changes unread; reading the whole pool", "programme", programmeID, "err", cerr)
		case ok:
			s, how = held.Patch(ch, c.langs), fmt.Sprintf("patched from version %d", held.Version)
		}
	}
	if s == nil {
		var (
			v       int64
			offers  []pool.Offer
			seekers []pool.Seeker
		)
		v, offers, seekers, err = c.src.PoolSnapshot(ctx, programmeID)
		if err == nil {
			s = Build(programmeID, v, offers, seekers, c.langs)
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.loading, programmeID)
	if err != nil {
		l.err = err
		return
	}
	l.snap = s
	c.stats.Builds++
	if el, ok := c.byProg[programmeID]; ok {
		old := el.Value.(*Snapshot)
		if old.Version > s.Version {
			return // a newer one was kept meanwhile
		}
		c.used -= old.Bytes
		c.lru.Remove(el)
		delete(c.byProg, programmeID)
	}
	kept := s.Bytes <= c.budget
	if kept {
		c.byProg[programmeID] = c.lru.PushFront(s)
		c.used += s.Bytes
	}
	evicted := 0
	for c.used > c.budget && c.lru.Len() > 1 {
		el := c.lru.Back()
		old := el.Value.(*Snapshot)
		c.lru.Remove(el)
		delete(c.byProg, old.ProgrammeID)
		c.used -= old.Bytes
		c.stats.Evictions++
		evicted++
	}
	level := slog.LevelInfo
	if !kept && c.budget > 0 {
		level = slog.LevelWarn // every read of this programme rebuilds: raise the budget
	}
	c.log.Log(ctx, level, "matching pool built", "programme", programmeID, "version", s.Version, "how", how,
		"rooms", len(s.Offers), "applications", len(s.Seekers), "bytes", s.Bytes, "took", time.Since(start),
		"kept", kept, "evicted", evicted, "cache_bytes", c.used, "cache_budget", c.budget, "cache_programmes", c.lru.Len())
}

// Stats returns the cache's figures now.
func (c *Cache) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.stats
	s.Programmes, s.Bytes, s.Budget = c.lru.Len(), c.used, c.budget
	for e := c.lru.Front(); e != nil; e = e.Next() {
		snap := e.Value.(*Snapshot)
		s.Rooms += len(snap.Offers)
		s.Applications += len(snap.Seekers)
	}
	return s
}

// Package app holds the matching service's use cases: rankings, matches and allocation runs;
// who may do what, and which events each change publishes. Handlers call it; the domain
// (match, allocation, score) decides; the store stores.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/poolcache"
	"github.com/cohabit/cohabit/services/matching/internal/postgres"
	"github.com/cohabit/cohabit/services/matching/internal/score"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// App runs the use cases.
type App struct {
	store *postgres.Store
	now   func() time.Time
	// langs interns language codes for every score this process computes: score inputs are
	// comparable only when built with one table.
	langs *score.LanguageTable
	// cache serves the rankings and allocation's input from the programmes' pools held in
	// memory (see poolcache).
	cache *poolcache.Cache
	// docSync waits for the copy of the desk's documents (see WithDocumentSync).
	docSync DocumentSync
}

// DefaultPoolCacheMemory is the byte budget of the pool cache when none is given: about
// 50,000 applications (a snapshot holds ~1.5 KB per application).
const DefaultPoolCacheMemory = 256 << 20

// Option tunes an App.
type Option func(*options)

type options struct {
	cacheMemory int64
	log         *slog.Logger
	docSync     DocumentSync
}

// WithPoolCacheMemory sets the byte budget of the pool cache (0 keeps none: every ranking
// reads the database) and the logger told of each rebuild.
func WithPoolCacheMemory(bytes int64, log *slog.Logger) Option {
	return func(o *options) { o.cacheMemory, o.log = bytes, log }
}

// New returns the use cases over store, with now as the clock.
func New(store *postgres.Store, now func() time.Time, opts ...Option) *App {
	if now == nil {
		now = time.Now
	}
	o := options{cacheMemory: DefaultPoolCacheMemory}
	for _, f := range opts {
		f(&o)
	}
	langs := score.NewLanguageTable()
	return &App{store: store, now: now, langs: langs, cache: poolcache.New(store, langs, o.cacheMemory, o.log), docSync: o.docSync}
}

// PoolCacheStats reports the pool cache (for its metrics and the benchmarks).
func (a *App) PoolCacheStats() poolcache.Stats { return a.cache.Stats() }

var errNoPrincipal = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")

func principal(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, errNoPrincipal
	}
	return p, nil
}

// weights are the programme's score weights. Programme settings carry none yet: every
// programme scores with the defaults (score.DefaultWeights).
func (a *App) weights(context.Context, string) score.Weights { return score.Weights{} }

// expiryDays is how long a programme's proposals stay open.
func (a *App) expiryDays(ctx context.Context, programmeID string) (int, error) {
	st, ok, err := a.store.Programme(ctx, programmeID)
	if err != nil {
		return 0, err
	}
	if !ok || st.GetProposalExpiryDays() <= 0 {
		return match.DefaultExpiryDays, nil
	}
	return int(st.GetProposalExpiryDays()), nil
}

// canSeeMatch: a coordinator of its programme, or the account of either party.
func canSeeMatch(p auth.Principal, m *match.Match) bool {
	pr := m.Pair()
	switch p.Role {
	case auth.RoleCoordinator:
		return p.CoordinatesProgramme(m.ProgrammeID())
	case auth.RoleHost:
		return pr.HostAccountID != "" && pr.HostAccountID == p.AccountID
	case auth.RoleStudent:
		return pr.StudentAccountID != "" && pr.StudentAccountID == p.AccountID
	}
	return false
}

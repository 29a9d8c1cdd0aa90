package auth

import (
	"sync"
	"time"
)

// Revocations are the sessions that ended before their tokens expired: one session signed
// out, or every token of an account signed before a point in time (ended by a coordinator
// or an admin). Each service keeps them in memory, learnt from the identity service's
// SessionsRevoked events (platform/revocation), and its Verifier refuses the tokens they
// name. An entry lives until the tokens it concerns have expired. Safe for concurrent use.
type Revocations struct {
	mu       sync.RWMutex
	sessions map[string]time.Time // session id → until
	accounts map[string]cutoff    // account id → tokens signed before are refused
	now      func() time.Time
}

type cutoff struct{ before, until time.Time }

// NewRevocations returns an empty list.
func NewRevocations() *Revocations {
	return &Revocations{sessions: map[string]time.Time{}, accounts: map[string]cutoff{}, now: time.Now}
}

// RevokeSession refuses the tokens of session id until until.
func (r *Revocations) RevokeSession(id string, until time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sweep()
	if until.After(r.sessions[id]) {
		r.sessions[id] = until
	}
}

// RevokeAccount refuses the tokens of account id signed before `before`, until until.
func (r *Revocations) RevokeAccount(id string, before, until time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sweep()
	c := r.accounts[id]
	if before.After(c.before) {
		c.before = before
	}
	if until.After(c.until) {
		c.until = until
	}
	r.accounts[id] = c
}

// Revoked reports whether p's token is refused.
func (r *Revocations) Revoked(p Principal) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	now := r.now()
	if until, ok := r.sessions[p.SessionID]; ok && p.SessionID != "" && now.Before(until) {
		return true
	}
	c, ok := r.accounts[p.AccountID]
	return ok && now.Before(c.until) && !p.IssuedAt.After(c.before)
}

// Len is the number of entries kept (for tests and metrics).
func (r *Revocations) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.sessions) + len(r.accounts)
}

// sweep drops the entries whose tokens have all expired; r.mu is held.
func (r *Revocations) sweep() {
	now := r.now()
	for id, until := range r.sessions {
		if !now.Before(until) {
			delete(r.sessions, id)
		}
	}
	for id, c := range r.accounts {
		if !now.Before(c.until) {
			delete(r.accounts, id)
		}
	}
}

package account

import "time"

// Failed sign-ins are slowed down per email, whether or not an account has it: locking only
// real accounts would tell a guesser which emails exist.
const (
	// FreeAttempts is how many consecutive failures cost nothing.
	FreeAttempts = 5
	// MaxLockout bounds the wait, so that a guesser cannot lock someone out for good.
	MaxLockout = 15 * time.Minute
	// FailureMemory is how long a quiet email keeps its count: a few typos last month do not
	// make today's first typo expensive.
	FailureMemory = 24 * time.Hour
)

// Lockout is how long sign-ins for an email are refused after its nth consecutive failure:
// nothing for the first FreeAttempts-1, then 1 s, 2 s, 4 s… up to MaxLockout.
func Lockout(failures int) time.Duration {
	if failures < FreeAttempts {
		return 0
	}
	shift := failures - FreeAttempts
	if shift >= 10 { // 2^10 s already exceeds MaxLockout, and the shift must not overflow
		return MaxLockout
	}
	return min(time.Duration(1<<shift)*time.Second, MaxLockout)
}

// Attempts is the sign-in record of one email.
type Attempts struct {
	// Failures counts consecutive attempts that did not succeed.
	Failures    int
	LastAttempt time.Time
	LockedUntil time.Time
}

// Claim counts an attempt at now BEFORE its password is checked, and returns the new record:
// counting first means that a burst of parallel guesses cannot all slip in before the first
// one fails. A success then clears the record. While locked, the attempt is refused with
// ErrTooManyAttempts (ResourceExhausted), says how long to wait, and counts nothing.
func (a Attempts) Claim(now time.Time) (Attempts, error) {
	if now.Before(a.LockedUntil) {
		wait := a.LockedUntil.Sub(now)
		secs := int((wait + time.Second - 1) / time.Second)
		return a, ErrTooManyAttempts.WithMessage("too many failed sign-ins: try again in %d seconds", secs)
	}
	if !a.LastAttempt.IsZero() && now.Sub(a.LastAttempt) > FailureMemory {
		a.Failures = 0
	}
	a.Failures++
	a.LastAttempt = now
	a.LockedUntil = now.Add(Lockout(a.Failures))
	return a, nil
}

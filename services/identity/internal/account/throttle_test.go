package account

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestLockout(t *testing.T) {
	t.Parallel()
	cases := map[int]time.Duration{
		0: 0, 1: 0, 4: 0,
		5: time.Second, 6: 2 * time.Second, 7: 4 * time.Second, 14: 512 * time.Second,
		15: MaxLockout, 16: MaxLockout, 1000: MaxLockout,
	}
	for n, want := range cases {
		if got := Lockout(n); got != want {
			t.Errorf("Lockout(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestClaim(t *testing.T) {
	t.Parallel()
	var a Attempts
	var err error
	for i := 1; i <= FreeAttempts; i++ {
		if a, err = a.Claim(t0); err != nil {
			t.Fatalf("attempt %d refused: %v", i, err)
		}
	}
	if a.Failures != FreeAttempts || !a.LockedUntil.Equal(t0.Add(time.Second)) {
		t.Fatalf("after %d attempts: %+v", FreeAttempts, a)
	}

	refused, err := a.Claim(t0.Add(500 * time.Millisecond))
	if !errors.Is(err, ErrTooManyAttempts) || !strings.Contains(err.Error(), "1 seconds") {
		t.Fatalf("attempt while locked: %v", err)
	}
	if refused != a {
		t.Fatalf("a refused attempt counted: %+v", refused)
	}

	a, err = a.Claim(t0.Add(time.Second))
	if err != nil || a.Failures != FreeAttempts+1 || !a.LockedUntil.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("attempt after the lockout: %+v %v", a, err)
	}

	// A day of quiet forgets the failures.
	a, err = a.Claim(t0.Add(FailureMemory + time.Hour))
	if err != nil || a.Failures != 1 || !a.LockedUntil.Equal(a.LastAttempt) {
		t.Fatalf("attempt after a quiet day: %+v %v", a, err)
	}
}

package auth

import (
	"errors"
	"testing"
	"time"
)

// Issue 18: a bearer token kept working after sign-out for its whole hour.
func TestRevokedTokensAreRefused(t *testing.T) {
	t.Parallel()
	pub, priv, _ := GenerateKey()
	issuer := NewIssuer(priv, time.Hour)
	revs := NewRevocations()
	v := NewVerifier(pub).WithRevocations(revs)

	signedOut, _, _ := issuer.Issue(Principal{AccountID: "a1", Role: RoleHost, SessionID: "s1"})
	slid, _, _ := issuer.Issue(Principal{AccountID: "a1", Role: RoleHost, SessionID: "s1"})
	otherSession, _, _ := issuer.Issue(Principal{AccountID: "a1", Role: RoleHost, SessionID: "s2"})
	for _, tok := range []string{signedOut, slid, otherSession} {
		if _, err := v.Verify(tok); err != nil {
			t.Fatalf("before any revocation: %v", err)
		}
	}
	revs.RevokeSession("s1", time.Now().Add(time.Hour))
	for _, tok := range []string{signedOut, slid} {
		if _, err := v.Verify(tok); !errors.Is(err, ErrBadToken) {
			t.Fatalf("a token of a signed-out session: %v", err)
		}
	}
	if _, err := v.Verify(otherSession); err != nil {
		t.Fatalf("another session of the account: %v", err)
	}

	// Every session of the account ended now: earlier tokens are refused, a sign-in a
	// millisecond later is not.
	revs.RevokeAccount("a1", time.Now(), time.Now().Add(time.Hour))
	if _, err := v.Verify(otherSession); !errors.Is(err, ErrBadToken) {
		t.Fatalf("a session of a revoked account: %v", err)
	}
	time.Sleep(2 * time.Millisecond)
	after, _, _ := issuer.Issue(Principal{AccountID: "a1", Role: RoleHost})
	if _, err := v.Verify(after); err != nil {
		t.Fatalf("a sign-in after the revocation: %v", err)
	}
	other, _, _ := issuer.Issue(Principal{AccountID: "a2", Role: RoleHost})
	if _, err := v.Verify(other); err != nil {
		t.Fatalf("another account: %v", err)
	}

	// Entries go once the tokens they concern have expired.
	revs.now = func() time.Time { return time.Now().Add(2 * time.Hour) }
	revs.RevokeSession("s3", time.Now().Add(3*time.Hour))
	if revs.Len() != 1 {
		t.Fatalf("%d entries kept after their tokens expired, want 1", revs.Len())
	}
}

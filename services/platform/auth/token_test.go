package auth

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTokenRoundTrip(t *testing.T) {
	t.Parallel()
	pub, priv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	want := Principal{AccountID: "a1", Role: RoleCoordinator, ProgrammeID: "p1"}
	tok, exp, err := NewIssuer(priv, time.Minute).Issue(want)
	if err != nil {
		t.Fatal(err)
	}
	if time.Until(exp) <= 0 || time.Until(exp) > time.Minute {
		t.Fatalf("expiry %v not within a minute", exp)
	}
	got, err := NewVerifier(pub).Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if got.SessionID == "" || time.Since(got.IssuedAt) > time.Minute {
		t.Fatalf("no session id or issue time: %+v", got)
	}
	got.SessionID, got.IssuedAt = "", time.Time{}
	if got != want {
		t.Fatalf("got %+v, want %+v", got, want)
	}
}

func TestTokenRejections(t *testing.T) {
	t.Parallel()
	pub, priv, _ := GenerateKey()
	otherPub, _, _ := GenerateKey()
	p := Principal{AccountID: "a1", Role: RoleHost, ProgrammeID: "p1"}

	good, _, _ := NewIssuer(priv, time.Minute).Issue(p)
	expiredIssuer := NewIssuer(priv, time.Minute)
	expiredIssuer.now = func() time.Time { return time.Now().Add(-time.Hour) }
	expired, _, _ := expiredIssuer.Issue(p)
	parts := strings.Split(good, ".")
	tampered := parts[0] + "." + parts[1] + "x." + parts[2]

	cases := map[string]struct {
		verifier *Verifier
		token    string
	}{
		"other key": {NewVerifier(otherPub), good},
		"expired":   {NewVerifier(pub), expired},
		"tampered":  {NewVerifier(pub), tampered},
		"garbage":   {NewVerifier(pub), "not-a-token"},
		"empty":     {NewVerifier(pub), ""},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := c.verifier.Verify(c.token); !errors.Is(err, ErrBadToken) {
				t.Fatalf("want ErrBadToken, got %v", err)
			}
		})
	}
}

func TestKeyPEMRoundTrip(t *testing.T) {
	t.Parallel()
	pub, priv, _ := GenerateKey()
	privPEM, err := EncodePrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubPEM, err := EncodePublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	priv2, err := ParsePrivateKey(privPEM)
	if err != nil || !priv2.Equal(priv) {
		t.Fatalf("private key round trip: %v", err)
	}
	pub2, err := ParsePublicKey(pubPEM)
	if err != nil || !pub2.Equal(pub) {
		t.Fatalf("public key round trip: %v", err)
	}
}

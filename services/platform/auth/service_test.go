package auth

import (
	"errors"
	"testing"
	"time"
)

func TestServiceTokens(t *testing.T) {
	t.Parallel()
	userPub, userPriv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	svcPub, svcPriv, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	svcTok, err := NewServiceIssuer(svcPriv, "contracts").Token()
	if err != nil {
		t.Fatal(err)
	}

	v := NewVerifierWithService(userPub, svcPub)
	p, err := v.Verify(svcTok)
	if err != nil {
		t.Fatalf("service token refused: %v", err)
	}
	if p.Role != RoleService || p.AccountID != "service:contracts" {
		t.Errorf("principal = %+v, want the contracts service", p)
	}

	// Without the service key configured, a service token is not accepted.
	if _, err := NewVerifier(userPub).Verify(svcTok); !errors.Is(err, ErrBadToken) {
		t.Errorf("service token accepted by a verifier without the service key: %v", err)
	}

	// The identity key cannot mint the service role...
	forged, _, err := NewIssuer(userPriv, time.Minute).Issue(Principal{AccountID: "x", Role: RoleService})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(forged); !errors.Is(err, ErrBadToken) {
		t.Errorf("service role from the identity key accepted: %v", err)
	}
	// ...and the service key cannot mint any other role.
	admin, _, err := NewIssuer(svcPriv, time.Minute).Issue(Principal{AccountID: "x", Role: RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(admin); !errors.Is(err, ErrBadToken) {
		t.Errorf("admin token signed by the service key accepted: %v", err)
	}
	// An account token still verifies.
	coord, _, err := NewIssuer(userPriv, time.Minute).Issue(Principal{AccountID: "c", Role: RoleCoordinator, ProgrammeID: "p"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(coord); err != nil {
		t.Errorf("coordinator token refused: %v", err)
	}
}

func TestServiceIssuerWithoutKey(t *testing.T) {
	t.Parallel()
	var s *ServiceIssuer
	if _, err := s.Token(); !errors.Is(err, ErrNoServiceKey) {
		t.Errorf("Token without key: %v, want ErrNoServiceKey", err)
	}
}

package auth

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// Services read from each other (the contract's document reads the parties' addresses, the
// notifications service reads whom to write to) with a token of role RoleService. Those
// tokens are signed by a key of their own, not by the identity service's: a service that
// calls others holds the private half of the service key, and a leak of it mints only
// service tokens, which each service's policy allows on a few read-only methods — never a
// coordinator's or an admin's token. Conversely a token signed by the identity key is
// refused when it claims the service role.

// serviceKeyID marks a token signed by the service key, so that the verifier picks the key
// without trying both.
const serviceKeyID = "service"

// ServiceTokenTTL is how long a service token lives; ServiceIssuer renews it a minute before.
const ServiceTokenTTL = 5 * time.Minute

// ServiceKeys are a process's service key material: Public verifies service tokens (every
// service that serves a read to another), Private signs them (every service that calls
// another). A nil key is read from its file; an empty file name means none: no service
// token is accepted, or none can be made.
type ServiceKeys struct {
	Public      ed25519.PublicKey
	PublicFile  string
	Private     ed25519.PrivateKey
	PrivateFile string
}

// Load fills the keys from their files where they are not set. The public half of a private
// key that is set is used when no public key is given, so that a caller also verifies.
func (k ServiceKeys) Load() (ServiceKeys, error) {
	if k.Private == nil && k.PrivateFile != "" {
		p, err := LoadPrivateKey(k.PrivateFile)
		if err != nil {
			return k, fmt.Errorf("service private key: %w", err)
		}
		k.Private = p
	}
	if k.Public == nil && k.PublicFile != "" {
		p, err := LoadPublicKey(k.PublicFile)
		if err != nil {
			return k, fmt.Errorf("service public key: %w", err)
		}
		k.Public = p
	}
	if k.Public == nil && k.Private != nil {
		k.Public = k.Private.Public().(ed25519.PublicKey)
	}
	return k, nil
}

// ErrNoServiceKey is returned when a service token is asked of a process without the
// service's private key.
var ErrNoServiceKey = errors.New("no service key: set COHABIT_SERVICE_PRIVATE_KEY_FILE")

// ServiceIssuer signs the tokens one service presents to others, and reuses a token until
// a minute before it expires.
type ServiceIssuer struct {
	key  ed25519.PrivateKey
	name string
	now  func() time.Time

	mu    sync.Mutex
	token string
	exp   time.Time
}

// NewServiceIssuer returns an issuer of service tokens for the service called name.
func NewServiceIssuer(key ed25519.PrivateKey, name string) *ServiceIssuer {
	return &ServiceIssuer{key: key, name: name, now: time.Now}
}

// Token returns a valid service token.
func (s *ServiceIssuer) Token() (string, error) {
	if s == nil || s.key == nil {
		return "", ErrNoServiceKey
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.token != "" && now.Before(s.exp.Add(-time.Minute)) {
		return s.token, nil
	}
	exp := now.Add(ServiceTokenTTL)
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    issuer,
			Subject:   "service:" + s.name,
			Audience:  jwt.ClaimStrings{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		Role: RoleService,
	}
	t := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c)
	t.Header["kid"] = serviceKeyID
	signed, err := t.SignedString(s.key)
	if err != nil {
		return "", fmt.Errorf("sign service token: %w", err)
	}
	s.token, s.exp = signed, exp
	return signed, nil
}

// WriteServiceKeys creates a service key pair at privFile (0600) and pubFile unless
// privFile exists, and returns the pair either way (for local runs and tests).
func WriteServiceKeys(privFile, pubFile string) (ed25519.PrivateKey, error) {
	if k, err := LoadPrivateKey(privFile); err == nil {
		return k, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	pub, priv, err := GenerateKey()
	if err != nil {
		return nil, err
	}
	privPEM, err := EncodePrivateKey(priv)
	if err != nil {
		return nil, err
	}
	pubPEM, err := EncodePublicKey(pub)
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(privFile, privPEM, 0o600); err != nil {
		return nil, fmt.Errorf("write service key: %w", err)
	}
	if err := os.WriteFile(pubFile, pubPEM, 0o644); err != nil {
		return nil, fmt.Errorf("write service public key: %w", err)
	}
	return priv, nil
}

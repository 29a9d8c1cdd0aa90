package auth

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	issuer   = "cohabit-identity"
	audience = "cohabit"
)

type claims struct {
	jwt.RegisteredClaims
	Role        Role   `json:"role"`
	ProgrammeID string `json:"prog,omitempty"`
	// IssuedAtMs is iat in milliseconds: a session ended at a point in time must not end
	// the token of a sign-in made in the same second, just after.
	IssuedAtMs int64 `json:"iatms,omitempty"`
}

// Issuer signs tokens. Only the identity service holds one.
type Issuer struct {
	key ed25519.PrivateKey
	ttl time.Duration
	now func() time.Time
}

// NewIssuer returns an issuer of tokens valid for ttl.
func NewIssuer(key ed25519.PrivateKey, ttl time.Duration) *Issuer {
	return &Issuer{key: key, ttl: ttl, now: time.Now}
}

// Issue signs a token for p and returns it with its expiry.
func (i *Issuer) Issue(p Principal) (string, time.Time, error) {
	now := i.now()
	exp := now.Add(i.ttl)
	sid := p.SessionID
	if sid == "" {
		var b [16]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", time.Time{}, fmt.Errorf("session id: %w", err)
		}
		sid = hex.EncodeToString(b[:])
	}
	c := claims{
		IssuedAtMs: now.UnixMilli(),
		RegisteredClaims: jwt.RegisteredClaims{
			ID:        sid,
			Issuer:    issuer,
			Subject:   p.AccountID,
			Audience:  jwt.ClaimStrings{audience},
			IssuedAt:  jwt.NewNumericDate(now),
			NotBefore: jwt.NewNumericDate(now.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		Role:        p.Role,
		ProgrammeID: p.ProgrammeID,
	}
	s, err := jwt.NewWithClaims(jwt.SigningMethodEdDSA, c).SignedString(i.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("sign token: %w", err)
	}
	return s, exp, nil
}

// Verifier checks tokens with the identity service's public key.
type Verifier struct {
	key    ed25519.PublicKey
	svc    ed25519.PublicKey // verifies service tokens; nil: none accepted
	parser *jwt.Parser
	// revoked lists the sessions that ended before their tokens expired; nil: none.
	revoked *Revocations
}

// NewVerifier returns a verifier for tokens signed by the private half of key.
func NewVerifier(key ed25519.PublicKey) *Verifier {
	return NewVerifierWithService(key, nil)
}

// NewVerifierWithService returns a verifier for account tokens signed by the private half
// of key and for service tokens signed by the private half of svc (none when nil).
func NewVerifierWithService(key, svc ed25519.PublicKey) *Verifier {
	return &Verifier{key: key, svc: svc, parser: jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodEdDSA.Alg()}),
		jwt.WithIssuer(issuer),
		jwt.WithAudience(audience),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(30*time.Second),
	)}
}

// ErrBadToken is returned for any token that does not verify; the reason stays in logs.
var ErrBadToken = errors.New("invalid or expired token")

// Verify returns the principal of a valid token.
func (v *Verifier) Verify(token string) (Principal, error) {
	var c claims
	service := false
	_, err := v.parser.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		if kid, _ := t.Header["kid"].(string); kid == serviceKeyID {
			if v.svc == nil {
				return nil, errors.New("service tokens are not accepted here")
			}
			service = true
			return v.svc, nil
		}
		return v.key, nil
	})
	if err != nil {
		return Principal{}, fmt.Errorf("%w: %w", ErrBadToken, err)
	}
	if c.Subject == "" || !c.Role.Valid() {
		return Principal{}, fmt.Errorf("%w: missing subject or role", ErrBadToken)
	}
	// The service role comes only from the service key, and the service key gives only
	// the service role.
	if service != (c.Role == RoleService) {
		return Principal{}, fmt.Errorf("%w: role %s under the wrong key", ErrBadToken, c.Role)
	}
	p := Principal{AccountID: c.Subject, Role: c.Role, ProgrammeID: c.ProgrammeID, SessionID: c.ID, IssuedAt: time.UnixMilli(c.IssuedAtMs)}
	if c.IssuedAtMs == 0 && c.IssuedAt != nil {
		p.IssuedAt = c.IssuedAt.Time
	}
	if v.revoked != nil && v.revoked.Revoked(p) {
		return Principal{}, fmt.Errorf("%w: session revoked", ErrBadToken)
	}
	return p, nil
}

// WithRevocations makes v refuse the tokens r lists (signed out, or ended by a coordinator
// or an admin). It returns v.
func (v *Verifier) WithRevocations(r *Revocations) *Verifier {
	v.revoked = r
	return v
}

// GenerateKey returns a fresh key pair (for development and tests).
func GenerateKey() (ed25519.PublicKey, ed25519.PrivateKey, error) {
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	return pub, priv, nil
}

// EncodePrivateKey returns key as PKCS#8 PEM.
func EncodePrivateKey(key ed25519.PrivateKey) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal private key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// EncodePublicKey returns key as PKIX PEM.
func EncodePublicKey(key ed25519.PublicKey) ([]byte, error) {
	der, err := x509.MarshalPKIXPublicKey(key)
	if err != nil {
		return nil, fmt.Errorf("marshal public key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), nil
}

// ParsePrivateKey reads a PKCS#8 PEM Ed25519 private key.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("parse private key: no PEM block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse private key: %w", err)
	}
	ek, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("parse private key: %T is not Ed25519", k)
	}
	return ek, nil
}

// ParsePublicKey reads a PKIX PEM Ed25519 public key.
func ParsePublicKey(data []byte) (ed25519.PublicKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, errors.New("parse public key: no PEM block")
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("parse public key: %w", err)
	}
	ek, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("parse public key: %T is not Ed25519", k)
	}
	return ek, nil
}

// LoadPublicKey reads a public key from a PEM file.
func LoadPublicKey(path string) (ed25519.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read public key: %w", err)
	}
	return ParsePublicKey(data)
}

// LoadPrivateKey reads a private key from a PEM file.
func LoadPrivateKey(path string) (ed25519.PrivateKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read private key: %w", err)
	}
	return ParsePrivateKey(data)
}

// Package password hashes passwords with argon2id and stores them in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash), so that a hash carries its own cost and salt and
// old hashes keep verifying after the cost is raised.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

const (
	saltLen = 16
	keyLen  = 32
)

// Params is the argon2id cost.
type Params struct {
	Time      uint32
	MemoryKiB uint32
	Threads   uint8
}

// Validate reports a cost argon2 cannot run with.
func (p Params) Validate() error {
	switch {
	case p.Time < 1:
		return errors.New("argon2 time must be at least 1")
	case p.Threads < 1:
		return errors.New("argon2 threads must be at least 1")
	case p.MemoryKiB < 8*uint32(p.Threads):
		return fmt.Errorf("argon2 memory must be at least %d KiB for %d threads", 8*uint32(p.Threads), p.Threads)
	}
	return nil
}

// Hasher hashes and verifies passwords at one cost.
type Hasher struct {
	params Params
}

// New returns a hasher at cost p.
func New(p Params) (*Hasher, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return &Hasher{params: p}, nil
}

// Hash returns the PHC string of password with a fresh salt.
func (h *Hasher) Hash(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, h.params.Time, h.params.MemoryKiB, h.params.Threads, keyLen)
	return encode(h.params, salt, key), nil
}

// Verify reports whether password matches hash, comparing in constant time; stale is true when
// hash was made at another cost than the hasher's (the caller may re-hash it).
func (h *Hasher) Verify(password, hash string) (ok, stale bool, err error) {
	p, salt, key, err := decode(hash)
	if err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(len(key)))
	ok = subtle.ConstantTimeCompare(got, key) == 1
	return ok, p != h.params, nil
}

var b64 = base64.RawStdEncoding

func encode(p Params, salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemoryKiB, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// errFormat never shows the hash itself: it may end up in logs.
var errFormat = errors.New("password hash is not an argon2id PHC string")

func decode(s string) (Params, []byte, []byte, error) {
	parts := strings.Split(s, "$")
	// "", "argon2id", "v=19", "m=…,t=…,p=…", salt, key
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return Params{}, nil, nil, errFormat
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return Params{}, nil, nil, fmt.Errorf("%w: unsupported version", errFormat)
	}
	var p Params
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemoryKiB, &p.Time, &p.Threads); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: bad parameters", errFormat)
	}
	if err := p.Validate(); err != nil {
		return Params{}, nil, nil, fmt.Errorf("%w: %w", errFormat, err)
	}
	salt, err := b64.DecodeString(parts[4])
	if err != nil || len(salt) == 0 {
		return Params{}, nil, nil, fmt.Errorf("%w: bad salt", errFormat)
	}
	key, err := b64.DecodeString(parts[5])
	if err != nil || len(key) == 0 {
		return Params{}, nil, nil, fmt.Errorf("%w: bad key", errFormat)
	}
	return p, salt, key, nil
}

// Package sms sends text messages through a provider a programme chooses. None is configured
// by default: the SMS notifications of such a programme are recorded SKIPPED, with why.
// The development provider writes each message to a folder instead of sending it.
package sms

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Provider sends one text message; an error means it was not accepted.
type Provider interface {
	Send(ctx context.Context, to, text, id string) error
}

// Providers maps programme ids to their provider; "*" is the provider of every programme
// without one of its own.
type Providers map[string]Provider

// For returns programme's provider, or nil when it has none.
func (p Providers) For(programme string) Provider {
	if v, ok := p[programme]; ok {
		return v
	}
	return p["*"]
}

// Folder is the development provider: each message becomes a file in Dir.
type Folder struct {
	Dir string
}

// Send implements Provider.
func (f Folder) Send(_ context.Context, to, text, id string) error {
	if err := os.MkdirAll(f.Dir, 0o755); err != nil {
		return err
	}
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	name := fmt.Sprintf("%020d-%s.txt", time.Now().UnixNano(), hex.EncodeToString(rnd[:]))
	body := fmt.Sprintf("To: %s\nId: %s\n\n%s\n", to, id, text)
	return os.WriteFile(filepath.Join(f.Dir, name), []byte(body), 0o644)
}

// Memory is a provider for tests: it keeps what it was given.
type Memory struct {
	mu   sync.Mutex
	Sent []string
}

// Send implements Provider.
func (m *Memory) Send(_ context.Context, to, text, _ string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.Sent = append(m.Sent, to+": "+text)
	return nil
}

// Parse reads COHABIT_NOTIFICATIONS_SMS_PROVIDERS: a comma-separated list of
// programme=provider ("demo=dev", "*=dev"), where the only provider this build knows is dev,
// the Folder provider writing under dir. Errors: an entry that is not programme=dev.
func Parse(spec, dir string) (Providers, error) {
	out := Providers{}
	for _, entry := range strings.Split(spec, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		prog, name, ok := strings.Cut(entry, "=")
		if !ok || prog == "" {
			return nil, fmt.Errorf("COHABIT_NOTIFICATIONS_SMS_PROVIDERS: %q: want programme=provider", entry)
		}
		switch name {
		case "dev":
			out[prog] = Folder{Dir: dir}
		default:
			return nil, fmt.Errorf("COHABIT_NOTIFICATIONS_SMS_PROVIDERS: %q: unknown provider %q (known: dev)", entry, name)
		}
	}
	return out, nil
}

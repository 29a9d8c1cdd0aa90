package service

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/auth"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := LoadConfig(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.GRPCAddr != "localhost:9101" || cfg.NATSURL != "nats://127.0.0.1:4333" || cfg.TokenTTL != 15*time.Minute ||
		cfg.Argon2Time != 2 || cfg.Argon2MemoryKiB != 65536 || cfg.Argon2Threads != 1 || cfg.DevSeed || cfg.SigningKey != nil ||
		!strings.Contains(cfg.DatabaseURL, "127.0.0.1:15432/cohabit_identity") {
		t.Fatalf("defaults %+v", cfg)
	}
}

func TestLoadConfigReadsTheKeyFile(t *testing.T) {
	t.Parallel()
	_, key, _ := auth.GenerateKey()
	pemBytes, err := auth.EncodePrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "token.pem")
	if err := os.WriteFile(path, pemBytes, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(envOf(map[string]string{EnvTokenPrivateKeyFile: path, EnvDevSeed: "true", EnvArgon2MemoryKiB: "8", EnvArgon2Time: "1"}))
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.SigningKey.Equal(key) || !cfg.DevSeed || cfg.Argon2MemoryKiB != 8 {
		t.Fatalf("config %+v", cfg)
	}
}

func TestLoadConfigReportsEveryProblem(t *testing.T) {
	t.Parallel()
	_, err := LoadConfig(envOf(map[string]string{
		EnvTokenTTL:               "forever",
		EnvArgon2Time:             "0",
		EnvArgon2MemoryKiB:        "lots",
		EnvDevSeed:                "maybe",
		EnvTokenPrivateKeyFile:    "/nonexistent/key.pem",
		EnvBootstrapAdminEmail:    "root@example.org",
		EnvBootstrapAdminPassword: "",
	}))
	if err == nil {
		t.Fatal("accepted")
	}
	for _, want := range []string{EnvTokenTTL, EnvArgon2Time, EnvArgon2MemoryKiB, EnvDevSeed, EnvTokenPrivateKeyFile, EnvBootstrapAdminPassword} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
}

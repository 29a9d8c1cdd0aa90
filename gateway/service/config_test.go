package service_test

import (
	"strings"
	"testing"
	"time"

	"github.com/cohabit/cohabit/gateway/service"
)

func TestLoadConfigDefaults(t *testing.T) {
	t.Parallel()
	cfg, err := service.LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if cfg.HTTPAddr != "localhost:8080" || cfg.MaxBodyBytes != 1<<20 || cfg.ReadyTimeout != time.Second {
		t.Errorf("cfg = %+v", cfg)
	}
	want := map[string]string{"identity": "localhost:9101", "hosts": "localhost:9102", "students": "localhost:9103", "matching": "localhost:9104", "contracts": "localhost:9105", "notifications": "localhost:9106", "figures": "localhost:9108", "desk": "localhost:9107"}
	if len(cfg.Backends) != len(want) {
		t.Errorf("backends = %v, want %v", cfg.Backends, want)
	}
	for name, addr := range want {
		if cfg.Backends[name] != addr {
			t.Errorf("backend %s = %q, want %q", name, cfg.Backends[name], addr)
		}
	}
}

func TestLoadConfigFromEnv(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"COHABIT_HTTP_ADDR":           ":9000",
		"COHABIT_HOSTS_GRPC_ADDR":     "hosts:9102",
		"COHABIT_HTTP_MAX_BODY_BYTES": "2048",
	}
	cfg, err := service.LoadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	if cfg.HTTPAddr != ":9000" || cfg.Backends["hosts"] != "hosts:9102" || cfg.MaxBodyBytes != 2048 {
		t.Errorf("cfg = %+v", cfg)
	}
}

func TestLoadConfigReportsEveryError(t *testing.T) {
	t.Parallel()
	env := map[string]string{
		"COHABIT_HTTP_MAX_BODY_BYTES":   "0",
		"COHABIT_HTTP_SHUTDOWN_TIMEOUT": "soon",
	}
	_, err := service.LoadConfig(func(k string) string { return env[k] })
	if err == nil {
		t.Fatal("LoadConfig accepted bad values")
	}
	for _, key := range []string{"COHABIT_HTTP_MAX_BODY_BYTES", "COHABIT_HTTP_SHUTDOWN_TIMEOUT"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not name %s", err, key)
		}
	}
}

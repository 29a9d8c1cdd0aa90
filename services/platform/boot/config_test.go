package boot_test

import (
	"testing"

	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
)

// Every service reads the shared settings under its own names, with the local defaults of
// `make run`; a bad value is one of the service's configuration errors.
func TestLoadConfig(t *testing.T) {
	t.Parallel()
	e := config.New(func(string) string { return "" })
	cfg := boot.LoadConfig(e, "hosts", "localhost:9102")
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	if cfg.GRPCAddr != "localhost:9102" || cfg.DatabaseURL != "postgres://postgres@127.0.0.1:15432/cohabit_hosts?sslmode=disable" ||
		cfg.NATSURL != "nats://127.0.0.1:4333" || cfg.TokenKeyFile != ".data/keys/token.pub" || cfg.MaxDBConns != 10 {
		t.Fatalf("defaults: %+v", cfg)
	}
	env := map[string]string{
		"COHABIT_STUDENTS_GRPC_ADDR":       ":1",
		"COHABIT_STUDENTS_DATABASE_URL":    "postgres://db/students",
		"COHABIT_STUDENTS_DB_MAX_CONNS":    "3",
		"COHABIT_HOSTS_DB_MAX_CONNS":       "99", // another service's: not read
		"COHABIT_NATS_URL":                 "nats://n:4222",
		"COHABIT_SERVICE_PUBLIC_KEY_FILE":  "svc.pub",
		"COHABIT_SERVICE_PRIVATE_KEY_FILE": "svc.key",
	}
	e = config.New(func(k string) string { return env[k] })
	cfg = boot.LoadConfig(e, "students", "localhost:9103")
	if err := e.Err(); err != nil {
		t.Fatal(err)
	}
	if cfg.GRPCAddr != ":1" || cfg.DatabaseURL != "postgres://db/students" || cfg.MaxDBConns != 3 || cfg.NATSURL != "nats://n:4222" ||
		cfg.Service.PublicFile != "svc.pub" || cfg.Service.PrivateFile != "svc.key" {
		t.Fatalf("from the environment: %+v", cfg)
	}
	env["COHABIT_STUDENTS_DB_MAX_CONNS"] = "many"
	e = config.New(func(k string) string { return env[k] })
	boot.LoadConfig(e, "students", "localhost:9103")
	if e.Err() == nil {
		t.Fatal("a bad pool bound must fail")
	}
}

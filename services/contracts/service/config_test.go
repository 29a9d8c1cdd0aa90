package service_test

import (
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/contracts/service"
)

func TestLoadConfig(t *testing.T) {
	t.Parallel()
	cfg, err := service.LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.GRPCAddr != "localhost:9105" || cfg.DatabaseURL != "postgres://postgres@127.0.0.1:15432/cohabit_contracts?sslmode=disable" ||
		cfg.JobInterval != service.DefaultJobInterval || cfg.TokenKeyFile == "" || cfg.NATSURL == "" {
		t.Fatalf("defaults: %+v", cfg)
	}
	env := map[string]string{"COHABIT_CONTRACTS_JOB_INTERVAL": "250ms", "COHABIT_CONTRACTS_GRPC_ADDR": ":1"}
	cfg, err = service.LoadConfig(func(k string) string { return env[k] })
	if err != nil || cfg.JobInterval != 250*time.Millisecond || cfg.GRPCAddr != ":1" {
		t.Fatalf("from the environment: %+v %v", cfg, err)
	}
	env["COHABIT_CONTRACTS_JOB_INTERVAL"] = "often"
	env["COHABIT_CONTRACTS_DB_MAX_CONNS"] = "many"
	if _, err := service.LoadConfig(func(k string) string { return env[k] }); err == nil {
		t.Fatal("bad values must fail")
	}
}

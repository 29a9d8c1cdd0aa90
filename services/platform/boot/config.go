package boot

import (
	"strings"

	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// Local defaults of the shared settings: the private PostgreSQL cluster and the embedded
// NATS server that `make run` starts (services/stack/cmd/cohabit).
const (
	defaultNATSURL     = "nats://127.0.0.1:4333"
	defaultTokenKey    = ".data/keys/token.pub"
	defaultMaxDBConns  = 10
	localDatabaseOwner = "postgres://postgres@127.0.0.1:15432/"
)

// LoadConfig reads the part of a service's configuration that every service shares, under
// the service's own names where it is its own:
//
//	COHABIT_<NAME>_GRPC_ADDR      where it serves (grpcAddr by default)
//	COHABIT_<NAME>_DATABASE_URL   its database (cohabit_<name> on the local cluster)
//	COHABIT_<NAME>_DB_MAX_CONNS   the pool's bound (10)
//	COHABIT_<NAME>_METRICS_ADDR   where /metrics is served (a free loopback port)
//	COHABIT_NATS_URL              NATS (the embedded server of `make run`)
//	COHABIT_TOKEN_PUBLIC_KEY_FILE the key that verifies bearer tokens
//	COHABIT_SERVICE_*_KEY_FILE    the service key halves (LoadServiceKeys)
//	COHABIT_NATS_*                the streams' settings (natsx.LoadStreamSettings)
//
// A service's LoadConfig embeds the result and reads only its own settings besides; bad
// values are reported by e.Err with the service's others.
func LoadConfig(e *config.Env, name, grpcAddr string) Config {
	prefix := "COHABIT_" + strings.ToUpper(name) + "_"
	return Config{
		GRPCAddr:     e.String(prefix+"GRPC_ADDR", grpcAddr),
		DatabaseURL:  e.String(prefix+"DATABASE_URL", localDatabaseOwner+"cohabit_"+name+"?sslmode=disable"),
		NATSURL:      e.String("COHABIT_NATS_URL", defaultNATSURL),
		TokenKeyFile: e.String("COHABIT_TOKEN_PUBLIC_KEY_FILE", defaultTokenKey),
		Service:      LoadServiceKeys(e),
		MaxDBConns:   e.Int(prefix+"DB_MAX_CONNS", defaultMaxDBConns),
		MetricsAddr:  e.String(prefix+"METRICS_ADDR", ""),
		Streams:      natsx.LoadStreamSettings(e),
	}
}

// Command cohabit runs the whole platform in one process for local development — what
// `make run` starts: PostgreSQL (a private cluster under the data folder unless
// COHABIT_DATABASE_URL names a server), NATS JetStream (embedded unless COHABIT_NATS_URL
// names one), every service with the demo programme seeded, and the gateway. Ctrl-C stops
// all of it, including the PostgreSQL cluster it started; the data stays for the next run.
//
// In production each service runs as its own process (deploy/README.md); this command only
// wires their exported service.Run together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/sync/errgroup"

	gateway "github.com/cohabit/cohabit/gateway/service"
	contracts "github.com/cohabit/cohabit/services/contracts/service"
	desk "github.com/cohabit/cohabit/services/desk/service"
	figures "github.com/cohabit/cohabit/services/figures/service"
	hosts "github.com/cohabit/cohabit/services/hosts/service"
	identity "github.com/cohabit/cohabit/services/identity/service"
	matching "github.com/cohabit/cohabit/services/matching/service"
	notifications "github.com/cohabit/cohabit/services/notifications/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/run"
	"github.com/cohabit/cohabit/services/platform/tracing"
	students "github.com/cohabit/cohabit/services/students/service"
)

func main() {
	run.Main(func(ctx context.Context, getenv func(string) string) error {
		return runStack(ctx, getenv, os.Stdout, os.Stderr)
	})
}

// Local defaults. The ports stay off the usual ones (5432, 4222) so that a system
// PostgreSQL or NATS on the same machine never gets in the way, and below Linux's ephemeral
// range (32768–60999) so that no outgoing connection holds one when they start.
const (
	defaultDataDir  = ".data"
	defaultPGPort   = 15432
	natsHost        = "127.0.0.1"
	defaultNATSPort = 4333
	// readyWait bounds the wait for the gateway's /readyz before the banner is printed
	// anyway (with a warning): a slow first start must not hide the URL.
	readyWait = 30 * time.Second
)

// settings are the stack's own settings; each service still reads its own with its
// LoadConfig, so every COHABIT_* variable a service knows works here too.
type settings struct {
	dataDir     string
	databaseURL string // a server URL; empty: start the private cluster
	natsURL     string // empty: embed a server
	privKeyFile string // empty: <dataDir>/keys/token.key, generated once
	logLevel    string
	// Ports of the private cluster and embedded server; a second stack beside the first
	// (the browser tests while `make run` serves) picks others.
	pgPort   int
	natsPort int
	// demoSeed: fill the demo programme once the platform is ready (COHABIT_DEMO_SEED,
	// default on; the browser tests and benchmarks turn it off to start from nothing).
	demoSeed bool
	// mailDir is where the local SMTP server keeps messages ("" when COHABIT_SMTP_URL
	// names a server).
	mailDir string
}

func loadSettings(getenv func(string) string) (settings, error) {
	e := config.New(getenv)
	s := settings{
		dataDir:     e.String("COHABIT_DATA_DIR", defaultDataDir),
		databaseURL: e.String("COHABIT_DATABASE_URL", ""),
		natsURL:     e.String("COHABIT_NATS_URL", ""),
		privKeyFile: e.String("COHABIT_TOKEN_PRIVATE_KEY_FILE", ""),
		logLevel:    e.String("COHABIT_LOG_LEVEL", "info"),
		pgPort:      e.Int("COHABIT_LOCAL_PG_PORT", defaultPGPort),
		natsPort:    e.Int("COHABIT_LOCAL_NATS_PORT", defaultNATSPort),
		demoSeed:    e.Bool("COHABIT_DEMO_SEED", true),
	}
	if err := e.Err(); err != nil {
		return settings{}, err
	}
	for name, p := range map[string]int{"COHABIT_LOCAL_PG_PORT": s.pgPort, "COHABIT_LOCAL_NATS_PORT": s.natsPort} {
		if p < 1 || p > 65535 {
			return settings{}, fmt.Errorf("%s=%d: not a TCP port (1–65535)", name, p)
		}
	}
	dir, err := filepath.Abs(s.dataDir)
	if err != nil {
		return settings{}, fmt.Errorf("COHABIT_DATA_DIR=%q: %w", s.dataDir, err)
	}
	s.dataDir = dir
	return s, nil
}

// runStack provisions what is missing, runs every service and the gateway until ctx is
// done, then stops them and, last, the NATS server and PostgreSQL cluster it started.
func runStack(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	s, err := loadSettings(getenv)
	if err != nil {
		return err
	}
	log := logging.New(stderr, s.logLevel, "text")
	// One tracing set-up for the whole process, installed before any service's: they find it
	// and keep it (platform/tracing), so that every span is exported once, as "cohabit".
	traces, err := tracing.Setup(ctx, "cohabit", getenv, log)
	if err != nil {
		return err
	}
	defer traces.Close(ctx, log)
	// Parents of the cluster's folder must stay traversable by the `postgres` user when
	// this runs as root: 0755, while the key folder inside is 0700.
	if err := os.MkdirAll(s.dataDir, 0o755); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	log.Info("starting Cohabit", "data", s.dataDir)

	// Infrastructure first; the deferred stops run after every service has returned.
	serverURL, stopPG, err := startPostgres(ctx, s, log)
	if err != nil {
		return interrupted(ctx, log, err)
	}
	defer func() { err = errors.Join(err, stopPG()) }()

	dbURLs, err := ensureDatabases(ctx, getenv, serverURL, log)
	if err != nil {
		return interrupted(ctx, log, err)
	}

	natsURL, stopNATS, err := startNATS(s, log)
	if err != nil {
		return err
	}
	defer stopNATS()

	keys, err := tokenKeys(s, log)
	if err != nil {
		return err
	}

	getenv, mailDir, stopMail, err := startMail(getenv, s, log)
	if err != nil {
		return err
	}
	s.mailDir = mailDir
	defer stopMail()

	return runServices(ctx, getenv, s, dbURLs, natsURL, keys, log, stdout)
}

// serviceKeys gives a service the stack's service key unless its own variables name one.
func serviceKeys(k auth.ServiceKeys, keys tokenKeyPair) auth.ServiceKeys {
	if k.PrivateFile == "" && k.PublicFile == "" && k.Private == nil && k.Public == nil {
		k.Private = keys.service
	}
	return k
}

// provisioned points a service's shared configuration at what the stack provisioned: its
// database, the NATS server, the token key's public half and the stack's service key
// (unless its own variables name one).
func provisioned(c *boot.Config, name string, dbURLs map[string]string, natsURL string, keys tokenKeyPair) {
	c.DatabaseURL, c.NATSURL, c.TokenKey = dbURLs[name], natsURL, keys.public
	c.Service = serviceKeys(c.Service, keys)
}

// backend is one service run here: its name (the gateway's backend name and the key of its
// database) and how to run it, reporting its gRPC address through ready.
type backend struct {
	name string
	run  func(ctx context.Context, ready func(net.Addr)) error
}

// backends configures every service from the environment (so each one's own COHABIT_*
// variables work here too), then points it at the stack's database, NATS and token key.
// Adding a service is one entry here and one in databases.
func backends(getenv func(string) string, dbURLs map[string]string, natsURL string,
	keys tokenKeyPair, log *slog.Logger) ([]backend, error) {
	idCfg, err := identity.LoadConfig(getenv)
	if err != nil {
		return nil, err // already prefixed "identity:"
	}
	provisioned(&idCfg.Config, "identity", dbURLs, natsURL, keys)
	idCfg.SigningKey = keys.private
	idCfg.DevSeed = true

	hostsCfg, err := hosts.LoadConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("hosts: %w", err)
	}
	provisioned(&hostsCfg.Config, "hosts", dbURLs, natsURL, keys)

	studentsCfg, err := students.LoadConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("students: %w", err)
	}
	provisioned(&studentsCfg.Config, "students", dbURLs, natsURL, keys)

	matchingCfg, err := matching.LoadConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("matching: %w", err)
	}
	provisioned(&matchingCfg.Config, "matching", dbURLs, natsURL, keys)

	contractsCfg, err := contracts.LoadConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("contracts: %w", err)
	}
	provisioned(&contractsCfg.Config, "contracts", dbURLs, natsURL, keys)
	// The contract documents read the parties from the hosts and students services run here,
	// at the addresses they bind.
	bound := &boundAddrs{}
	contractsCfg.AddrOf = bound.get
	// Students read an application's room from the hosts service, where it bound.
	studentsCfg.AddrOf = bound.get

	notificationsCfg, err := notifications.LoadConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("notifications: %w", err)
	}
	provisioned(&notificationsCfg.Config, "notifications", dbURLs, natsURL, keys)
	// It reads contact details from the hosts and students services, and invitation codes
	// from identity, at the addresses they bound here.
	notificationsCfg.AddrOf = bound.get

	deskCfg, err := desk.LoadConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("desk: %w", err)
	}
	provisioned(&deskCfg.Config, "desk", dbURLs, natsURL, keys)

	figuresCfg, err := figures.LoadConfig(getenv)
	if err != nil {
		return nil, fmt.Errorf("figures: %w", err)
	}
	provisioned(&figuresCfg.Config, "figures", dbURLs, natsURL, keys)

	return []backend{
		{"identity", func(ctx context.Context, ready func(net.Addr)) error {
			idCfg.Ready = bound.report("identity", ready)
			return identity.Run(ctx, idCfg, log.With("service", "identity"))
		}},
		{"hosts", func(ctx context.Context, ready func(net.Addr)) error {
			hostsCfg.Ready = bound.report("hosts", ready)
			return hosts.Run(ctx, hostsCfg, log) // hosts names itself in its logs
		}},
		{"students", func(ctx context.Context, ready func(net.Addr)) error {
			studentsCfg.Ready = bound.report("students", ready)
			return students.Run(ctx, studentsCfg, log) // so does students
		}},
		{"matching", func(ctx context.Context, ready func(net.Addr)) error {
			matchingCfg.Ready = ready
			return matching.Run(ctx, matchingCfg, log)
		}},
		{"contracts", func(ctx context.Context, ready func(net.Addr)) error {
			contractsCfg.Ready = ready
			return contracts.Run(ctx, contractsCfg, log)
		}},
		{"desk", func(ctx context.Context, ready func(net.Addr)) error {
			deskCfg.Ready = ready
			return desk.Run(ctx, deskCfg, log) // desk names itself in its logs
		}},
		{"notifications", func(ctx context.Context, ready func(net.Addr)) error {
			notificationsCfg.Ready = ready
			return notifications.Run(ctx, notificationsCfg, log)
		}},
		{"figures", func(ctx context.Context, ready func(net.Addr)) error {
			figuresCfg.Ready = ready
			return figures.Run(ctx, figuresCfg, log) // figures names itself in its logs
		}},
	}, nil
}

// runServices runs the services, then the gateway once their gRPC servers listen, and
// prints the banner once the gateway answers /readyz.
func runServices(ctx context.Context, getenv func(string) string, s settings, dbURLs map[string]string,
	natsURL string, keys tokenKeyPair, log *slog.Logger, stdout io.Writer) error {
	svcs, err := backends(getenv, dbURLs, natsURL, keys, log)
	if err != nil {
		return err
	}
	gwCfg, err := gateway.LoadConfig(getenv)
	if err != nil {
		return err
	}

	parent := ctx
	g, ctx := errgroup.WithContext(ctx)
	// Each backend reports the address its gRPC server bound; the gateway dials those.
	addrs := make(map[string]chan net.Addr, len(svcs))
	for _, b := range svcs {
		ch := make(chan net.Addr, 1)
		addrs[b.name] = ch
		g.Go(func() error {
			return until(ctx, b.name, b.run(ctx, func(a net.Addr) { ch <- a }))
		})
	}

	g.Go(func() error {
		for name, ch := range addrs {
			select {
			case a := <-ch:
				gwCfg.Backends[name] = a.String()
			case <-ctx.Done():
				return nil
			}
		}
		httpAddr := make(chan net.Addr, 1)
		gwCfg.Ready = func(a net.Addr) { httpAddr <- a }
		g.Go(func() error {
			select {
			case a := <-httpAddr:
				announce(ctx, stdout, log, gwCfg.HTTPAddr, a, s)
			case <-ctx.Done():
			}
			return nil
		})
		return until(ctx, "gateway", gateway.Run(ctx, gwCfg, log.With("service", "gateway")))
	})

	err = g.Wait()
	switch {
	case err != nil && parent.Err() != nil:
		// Ctrl-C while a service was still starting (migrating, connecting): a stop.
		log.Info("services stopped", "detail", err)
		return nil
	case err != nil:
		log.Error("stopping after a failure", "err", err)
		return err
	default:
		log.Info("services stopped")
		return nil
	}
}

// interrupted reports a failure to start caused by Ctrl-C as a clean stop: what failed
// was only cut short.
func interrupted(ctx context.Context, log *slog.Logger, err error) error {
	if ctx.Err() != nil {
		log.Info("interrupted while starting", "detail", err)
		return nil
	}
	return err
}

// until turns a service that returns without error before ctx is done into an error, so
// that errgroup stops the others instead of running on with a part missing.
func until(ctx context.Context, name string, err error) error {
	if err != nil {
		return err
	}
	if ctx.Err() == nil {
		return fmt.Errorf("%s stopped unexpectedly", name)
	}
	return nil
}

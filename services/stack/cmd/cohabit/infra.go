package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/natsembed"
	"github.com/cohabit/cohabit/services/platform/pgcluster"
)

// databases maps each service run here to its own database: services never share one.
// Matching and contracts join this table when they exist.
var databases = []struct{ service, name, env string }{
	{"identity", "cohabit_identity", "COHABIT_IDENTITY_DATABASE_URL"},
	{"hosts", "cohabit_hosts", "COHABIT_HOSTS_DATABASE_URL"},
	{"students", "cohabit_students", "COHABIT_STUDENTS_DATABASE_URL"},
	{"matching", "cohabit_matching", "COHABIT_MATCHING_DATABASE_URL"},
	{"contracts", "cohabit_contracts", "COHABIT_CONTRACTS_DATABASE_URL"},
	{"desk", "cohabit_desk", "COHABIT_DESK_DATABASE_URL"},
	{"notifications", "cohabit_notifications", "COHABIT_NOTIFICATIONS_DATABASE_URL"},
	{"figures", "cohabit_figures", "COHABIT_FIGURES_DATABASE_URL"},
}

// stopTimeout bounds pg_ctl stop once the services are gone.
const stopTimeout = 90 * time.Second

// startPostgres returns the URL of a server to create the databases on: COHABIT_DATABASE_URL
// when set, else the private cluster in <data>/pg, started (and initialised on the first
// run) here. The returned stop shuts down the cluster this process runs, never a server it
// was only given.
func startPostgres(ctx context.Context, s settings, log *slog.Logger) (string, func() error, error) {
	if s.databaseURL != "" {
		log.Info("PostgreSQL: using COHABIT_DATABASE_URL", "server", redact(s.databaseURL))
		return s.databaseURL, func() error { return nil }, nil
	}
	dir, err := clusterDir(ctx, s, log) // <data>/pg, or elsewhere when postgres cannot reach it
	if err != nil {
		return "", nil, fmt.Errorf("start PostgreSQL: %w", err)
	}
	c := &pgcluster.Cluster{Dir: dir, Port: s.pgPort}
	stop := func() error {
		log.Info("PostgreSQL: stopping", "dir", c.Dir)
		ctx, cancel := context.WithTimeout(context.Background(), stopTimeout)
		defer cancel()
		if err := c.Stop(ctx); err != nil {
			return err
		}
		log.Info("PostgreSQL: stopped")
		return nil
	}
	fresh := !exists(filepath.Join(c.Dir, "PG_VERSION"))
	log.Info("PostgreSQL: starting the local cluster", "dir", c.Dir, "port", c.Port, "first_run", fresh)
	start := time.Now()
	if err := c.Start(ctx); err != nil {
		// A start interrupted by Ctrl-C may leave a server behind.
		err = errors.Join(fmt.Errorf("start PostgreSQL: %w", err), stop())
		if fresh {
			// An initdb cut short leaves PG_VERSION behind, and the next run would take
			// the half-made cluster for a real one (it then lacks even the postgres
			// database). It held no data yet: remove it so the next run starts over.
			if rmErr := os.RemoveAll(c.Dir); rmErr != nil {
				err = errors.Join(err, fmt.Errorf("remove the unfinished cluster: %w", rmErr))
			}
		}
		return "", nil, err
	}
	log.Info("PostgreSQL: ready", "url", c.URL("postgres"), "took", time.Since(start).Round(time.Millisecond))
	return c.URL("postgres"), stop, nil
}

// ensureDatabases returns each service's database URL: its own COHABIT_<SVC>_DATABASE_URL
// when set (that database is the caller's to provide), else serverURL with the database
// name replaced, the database created when missing.
func ensureDatabases(ctx context.Context, getenv func(string) string, serverURL string, log *slog.Logger) (map[string]string, error) {
	urls := make(map[string]string, len(databases))
	for _, db := range databases {
		if u := strings.TrimSpace(getenv(db.env)); u != "" {
			log.Info("database from environment", "service", db.service, "env", db.env)
			urls[db.service] = u
			continue
		}
		u, err := withDatabase(serverURL, db.name)
		if err != nil {
			return nil, err
		}
		if err := pgcluster.EnsureDatabase(ctx, serverURL, db.name); err != nil {
			return nil, err
		}
		urls[db.service] = u
	}
	return urls, nil
}

// withDatabase returns the URL serverURL with its database replaced by name, keeping the
// user, password, host and parameters.
func withDatabase(serverURL, name string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("COHABIT_DATABASE_URL must be a postgres:// URL of the server (got %q)", redact(serverURL))
	}
	u.Path = "/" + name
	u.RawPath = ""
	return u.String(), nil
}

// redact hides a URL's password for logs.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// startNATS returns COHABIT_NATS_URL when set, else starts an embedded JetStream server
// storing in <data>/nats. The returned stop shuts down the server this process runs.
func startNATS(s settings, log *slog.Logger) (string, func(), error) {
	if s.natsURL != "" {
		log.Info("NATS: using COHABIT_NATS_URL", "url", redact(s.natsURL))
		return s.natsURL, func() {}, nil
	}
	srv, err := natsembed.Start(natsembed.Config{Host: natsHost, Port: s.natsPort, StoreDir: filepath.Join(s.dataDir, "nats")})
	if err != nil {
		return "", nil, fmt.Errorf("start NATS: %w", err)
	}
	log.Info("NATS: embedded JetStream ready", "url", srv.ClientURL())
	return srv.ClientURL(), func() {
		srv.Shutdown()
		srv.WaitForShutdown()
		log.Info("NATS: stopped")
	}, nil
}

type tokenKeyPair struct {
	private ed25519.PrivateKey
	public  ed25519.PublicKey
	// service signs the tokens services present to each other (auth.ServiceKeys):
	// <data>/keys/service.key, generated on the first run like token.key.
	service ed25519.PrivateKey
}

// tokenKeys loads the key that signs tokens from COHABIT_TOKEN_PRIVATE_KEY_FILE, or from
// <data>/keys/token.key, generated on the first run together with token.pub so that tokens
// (and the services run separately against the same data) survive restarts.
func tokenKeys(s settings, log *slog.Logger) (tokenKeyPair, error) {
	if s.privKeyFile != "" {
		priv, err := auth.LoadPrivateKey(s.privKeyFile)
		if err != nil {
			return tokenKeyPair{}, fmt.Errorf("COHABIT_TOKEN_PRIVATE_KEY_FILE: %w", err)
		}
		// The service key stays under the data folder: only tokens' keys are named by the
		// operator, and services given their own COHABIT_SERVICE_*_KEY_FILE keep those.
		dir := filepath.Join(s.dataDir, "keys")
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return tokenKeyPair{}, fmt.Errorf("create %s: %w", dir, err)
		}
		svc, err := auth.WriteServiceKeys(filepath.Join(dir, "service.key"), filepath.Join(dir, "service.pub"))
		if err != nil {
			return tokenKeyPair{}, fmt.Errorf("service key: %w", err)
		}
		return tokenKeyPair{private: priv, public: priv.Public().(ed25519.PublicKey), service: svc}, nil
	}
	dir := filepath.Join(s.dataDir, "keys")
	privPath, pubPath := filepath.Join(dir, "token.key"), filepath.Join(dir, "token.pub")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return tokenKeyPair{}, fmt.Errorf("create %s: %w", dir, err)
	}
	var priv ed25519.PrivateKey
	if exists(privPath) {
		k, err := auth.LoadPrivateKey(privPath)
		if err != nil {
			return tokenKeyPair{}, fmt.Errorf("token key %s (remove it to generate a new one): %w", privPath, err)
		}
		priv = k
	} else {
		_, k, err := auth.GenerateKey()
		if err != nil {
			return tokenKeyPair{}, err
		}
		pem, err := auth.EncodePrivateKey(k)
		if err != nil {
			return tokenKeyPair{}, err
		}
		if err := writeFile(privPath, pem, 0o600); err != nil {
			return tokenKeyPair{}, err
		}
		priv = k
		log.Info("token keys generated", "private", privPath, "public", pubPath)
	}
	pub := priv.Public().(ed25519.PublicKey)
	// The public half is derived, so a missing or stale token.pub is rewritten rather
	// than trusted.
	pubPEM, err := auth.EncodePublicKey(pub)
	if err != nil {
		return tokenKeyPair{}, err
	}
	if cur, err := os.ReadFile(pubPath); err != nil || !bytes.Equal(cur, pubPEM) {
		if err := writeFile(pubPath, pubPEM, 0o644); err != nil {
			return tokenKeyPair{}, err
		}
	}
	svc, err := auth.WriteServiceKeys(filepath.Join(dir, "service.key"), filepath.Join(dir, "service.pub"))
	if err != nil {
		return tokenKeyPair{}, fmt.Errorf("service key: %w", err)
	}
	return tokenKeyPair{private: priv, public: pub, service: svc}, nil
}

// writeFile writes data to path atomically (a crash leaves the old file or the new one,
// never half a key) with mode perm.
func writeFile(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// Package pgtest gives each test a fresh PostgreSQL database, copied from a
// template that is migrated once per schema version, so a store test costs a
// CREATE DATABASE instead of a full migration.
//
// The server is the one named by COHABIT_TEST_DATABASE_URL (what `make test`
// sets), or else a cluster pgtest starts itself in /tmp/cohabit-pgtest and
// leaves running for the next test binaries. Without PostgreSQL a test is
// skipped, except when CI=true, where it fails.
package pgtest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/platform/pgcluster"
)

// EnvURL names the variable holding the URL of a server's `postgres`
// database; pgtest creates its databases on that server.
const EnvURL = "COHABIT_TEST_DATABASE_URL"

// The local cluster is shared by every test binary on the machine, so its
// place and port are fixed rather than per process. The port is off the
// usual 5432 so a system PostgreSQL never gets in the way, and below Linux's
// ephemeral range (32768–60999) so that no outgoing connection can hold it
// when the cluster starts.
const (
	lockPath    = "/tmp/cohabit-pgtest.lock"
	clusterRoot = "/tmp/cohabit-pgtest"
	clusterPort = 15439
)

const (
	startTimeout   = 2 * time.Minute
	migrateTimeout = 5 * time.Minute
	opTimeout      = time.Minute
)

// MigrateFunc brings the empty database at url to the current schema. It
// must close every connection it opens before returning.
type MigrateFunc func(ctx context.Context, url string) error

// New returns a pool on a fresh database holding schema, closed and dropped
// when the test ends.
//
// schema names the template and must change whenever the migrations do:
// pass a stable name plus Hash of the migration files, e.g.
// "hosts_"+pgtest.Hash(migrations.FS). It may hold lower-case letters, digits
// and underscores, 58 bytes at most. migrate runs only when no template for
// schema exists yet on the server, whichever process builds it.
func New(t testing.TB, schema string, migrate MigrateFunc) *pgxpool.Pool {
	t.Helper()
	dbURL := NewURL(t, schema, migrate)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	// Registered after NewURL's drop, so it runs before it: a database with
	// open sessions would otherwise be dropped under the pool's feet.
	t.Cleanup(pool.Close)
	if err := pool.Ping(ctx); err != nil {
		t.Fatalf("pgtest: ping test database: %v", err)
	}
	return pool
}

// NewURL is New for code that opens its own pool, such as a service's Run:
// it returns the URL of a fresh database holding schema, dropped when the
// test ends.
func NewURL(t testing.TB, schema string, migrate MigrateFunc) string {
	t.Helper()
	adminURL := serverURL(t)
	tmpl, err := templateName(schema)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	if err := templates.ensure(adminURL, tmpl, migrate); err != nil {
		t.Fatalf("pgtest: %v", err)
	}

	name := "t_" + strconv.Itoa(os.Getpid()) + "_" + randomHex(6)
	ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
	defer cancel()
	if err := exec(ctx, adminURL, "CREATE DATABASE "+ident(name)+" TEMPLATE "+ident(tmpl)); err != nil {
		t.Fatalf("pgtest: create test database from %s: %v", tmpl, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), opTimeout)
		defer cancel()
		if err := exec(ctx, adminURL, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			t.Errorf("pgtest: drop test database %s: %v", name, err)
		}
	})
	dbURL, err := withDatabase(adminURL, name)
	if err != nil {
		t.Fatalf("pgtest: %v", err)
	}
	return dbURL
}

// serverURL returns the admin URL of the test server, or ends the test: a
// skip when PostgreSQL is merely absent on a developer's machine, a failure
// in CI or when EnvURL names a server that cannot be reached.
func serverURL(t testing.TB) string {
	t.Helper()
	srv := server()
	if srv.err != nil {
		if srv.explicit || os.Getenv("CI") == "true" {
			t.Fatalf("pgtest: %v", srv.err)
		}
		t.Skipf("pgtest: PostgreSQL unavailable, skipping: %v", srv.err)
	}
	return srv.url
}

// Hash fingerprints a set of migration files (usually an embed.FS): the first
// 12 hex digits of a SHA-256 over every file's path and content. Any edit
// yields a new template name, so a stale template is never reused.
// It panics if fsys cannot be read, which for an embedded FS is a bug.
func Hash(fsys fs.FS) string {
	h := sha256.New()
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		// Lengths keep ("a","bc") and ("ab","c") apart.
		fmt.Fprintf(h, "%d:%s%d:", len(p), p, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("pgtest: hash migrations: %v", err))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

var schemaRE = regexp.MustCompile(`^[a-z0-9_]+$`)

func templateName(schema string) (string, error) {
	name := "tmpl_" + schema
	if !schemaRE.MatchString(schema) || len(name) > 63 {
		return "", fmt.Errorf("schema %q must be 1 to 58 lower-case letters, digits or underscores", schema)
	}
	return name, nil
}

// serverState is found once per test binary: every test shares the answer,
// including a failure, so a missing PostgreSQL costs one attempt, not one per
// test. Package state is unavoidable here since tests reach pgtest only
// through plain function calls.
type serverState struct {
	url      string
	explicit bool // from EnvURL: failing to reach it is an error, never a skip
	err      error
}

var server = sync.OnceValue(func() serverState {
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	if u := os.Getenv(EnvURL); u != "" {
		if err := ping(ctx, u); err != nil {
			return serverState{explicit: true, err: fmt.Errorf("%s: %w", EnvURL, err)}
		}
		return serverState{url: u, explicit: true}
	}
	u, err := startLocal(ctx)
	return serverState{url: u, err: err}
})

// startLocal starts the machine's shared test cluster unless it is running.
// The file lock keeps test binaries that `go test ./...` runs in parallel
// from racing to initdb the same folder.
func startLocal(ctx context.Context) (string, error) {
	f, err := os.OpenFile(lockPath, os.O_RDONLY|os.O_CREATE, 0o666)
	if err != nil {
		return "", fmt.Errorf("open lock %s: %w", lockPath, err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("lock %s: %w", lockPath, err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing the file unlocks anyway

	c := &pgcluster.Cluster{Dir: filepath.Join(clusterRoot, "data"), Port: clusterPort, Fast: true}
	adminURL := c.URL("postgres")
	// Reaching the server first also serves a user who cannot read the data
	// folder (another user started the cluster) but can connect to it.
	if ping(ctx, adminURL) != nil {
		// 0755: when root, the cluster runs as `postgres`, which must
		// traverse this folder to reach its data.
		if err := os.MkdirAll(clusterRoot, 0o755); err != nil {
			return "", fmt.Errorf("create %s: %w", clusterRoot, err)
		}
		if err := c.Start(ctx); err != nil {
			return "", err
		}
	}
	if err := sweep(ctx, adminURL); err != nil {
		return "", err
	}
	return adminURL, nil
}

// sweep drops the test databases of test binaries that died before their
// cleanups ran (a panic, a kill, a timeout), so the shared cluster does not
// grow forever. The owner's pid is in the name; only databases whose process
// is gone are dropped. It only runs on the local cluster, whose test
// binaries share this machine's pids.
func sweep(ctx context.Context, adminURL string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to sweep stale test databases: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE 't\_%\_%'`)
	if err != nil {
		return fmt.Errorf("list test databases: %w", err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("list test databases: %w", err)
	}
	for _, name := range names {
		pid, err := strconv.Atoi(strings.Split(name, "_")[1])
		if err != nil || pid <= 0 || alive(pid) {
			continue
		}
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop stale test database %s: %w", name, err)
		}
	}
	return nil
}

func alive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// templateSet builds each template at most once per test binary; the
// server-side advisory lock extends that to every binary sharing the server.
type templateSet struct {
	mu   sync.Mutex
	byID map[string]func() error
}

var templates = &templateSet{byID: map[string]func() error{}}

func (s *templateSet) ensure(adminURL, name string, migrate MigrateFunc) error {
	s.mu.Lock()
	build, ok := s.byID[name]
	if !ok {
		build = sync.OnceValue(func() error {
			ctx, cancel := context.WithTimeout(context.Background(), migrateTimeout)
			defer cancel()
			return buildTemplate(ctx, adminURL, name, migrate)
		})
		s.byID[name] = build
	}
	s.mu.Unlock()
	return build()
}

// buildTemplate creates and migrates template name unless a finished one
// exists. pg_database.datistemplate is the "ready" marker: it is set last,
// so a template left half-built by a killed run still lacks it, and is
// dropped and rebuilt.
func buildTemplate(ctx context.Context, adminURL, name string, migrate MigrateFunc) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("connect to build template %s: %w", name, err)
	}
	// Closing the session also releases the advisory lock, should the
	// unlock below be skipped by an error.
	defer conn.Close(context.WithoutCancel(ctx))

	if ready, err := templateReady(ctx, conn, name); err != nil || ready {
		return err
	}
	lockKey := "cohabit-pgtest:" + name
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(hashtextextended($1, 0))", lockKey); err != nil {
		return fmt.Errorf("lock template %s: %w", name, err)
	}
	defer conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(hashtextextended($1, 0))", lockKey) //nolint:errcheck // the session ends right after
	// Another process may have finished it while we waited for the lock.
	if ready, err := templateReady(ctx, conn, name); err != nil || ready {
		return err
	}

	q := ident(name)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+q+" WITH (FORCE)"); err != nil {
		return fmt.Errorf("drop half-built template %s: %w", name, err)
	}
	// template0 rather than template1: on a shared server template1 may
	// carry objects that would make tests pass here and fail elsewhere.
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+q+" TEMPLATE template0"); err != nil {
		return fmt.Errorf("create template %s: %w", name, err)
	}
	tmplURL, err := withDatabase(adminURL, name)
	if err != nil {
		return err
	}
	if err := migrate(ctx, tmplURL); err != nil {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "DROP DATABASE IF EXISTS "+q+" WITH (FORCE)")
		return fmt.Errorf("migrate template %s: %w", name, err)
	}
	// Copying fails while anyone is connected to the source, so shut the
	// door before marking it ready: no new sessions, then end any the
	// migration left open.
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+q+" WITH ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("close template %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx,
		"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", name); err != nil {
		return fmt.Errorf("end sessions on template %s: %w", name, err)
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+q+" WITH IS_TEMPLATE true"); err != nil {
		return fmt.Errorf("mark template %s ready: %w", name, err)
	}
	return nil
}

func templateReady(ctx context.Context, conn *pgx.Conn, name string) (bool, error) {
	var ready bool
	err := conn.QueryRow(ctx,
		"SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&ready)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up template %s: %w", name, err)
	}
	return ready, nil
}

// exec runs one statement on its own short session. pgtest keeps no pool
// open between tests so it leaves no goroutines behind for leak checkers.
func exec(ctx context.Context, connURL, sql string) error {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	_, err = conn.Exec(ctx, sql)
	return err
}

func ping(ctx context.Context, connURL string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	return conn.Ping(ctx)
}

// withDatabase points a postgres:// URL at another database, keeping the
// user, host and parameters.
func withDatabase(serverURL, db string) (string, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", fmt.Errorf("%s must be a postgres:// URL", EnvURL)
	}
	u.Path = "/" + db
	u.RawPath = ""
	return u.String(), nil
}

func ident(name string) string { return pgx.Identifier{name}.Sanitize() }

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on Linux
	return hex.EncodeToString(b)
}

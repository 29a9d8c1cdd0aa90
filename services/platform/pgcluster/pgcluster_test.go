package pgcluster_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/pgcluster"
)

func TestURL(t *testing.T) {
	t.Parallel()
	c := &pgcluster.Cluster{Dir: "/x", Port: 5544}
	if got, want := c.URL("hosts"), "postgres://postgres@127.0.0.1:5544/hosts?sslmode=disable"; got != want {
		t.Fatalf("URL = %q, want %q", got, want)
	}
}

func TestStartMissingBinaries(t *testing.T) {
	t.Parallel()
	c := &pgcluster.Cluster{Dir: t.TempDir(), Port: freePort(t), BinDir: t.TempDir()}
	err := c.Start(t.Context())
	if err == nil || !strings.Contains(err.Error(), "scripts/ensure-postgres.sh") {
		t.Fatalf("Start with an empty BinDir = %v, want an error pointing to scripts/ensure-postgres.sh", err)
	}
}

func TestStartUntraversableParent(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to another user")
	}
	closed := t.TempDir() // 0700, owned by root
	c := &pgcluster.Cluster{Dir: filepath.Join(closed, "data"), Port: freePort(t)}
	err := c.Start(t.Context())
	if err == nil || !strings.Contains(err.Error(), "cannot traverse") {
		t.Fatalf("Start under a closed folder = %v, want an error naming the closed folder", err)
	}
}

func TestClusterLifecycle(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	ctx := t.Context()
	// Nested, to check the folders Start creates stay open to the server.
	c := &pgcluster.Cluster{Dir: filepath.Join(openTempDir(t), "a", "b", "data"), Port: freePort(t), Fast: true}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Errorf("Stop in cleanup: %v", err)
		}
	})

	start := time.Now()
	if err := c.Start(ctx); err != nil {
		t.Fatalf("first Start: %v", err)
	}
	t.Logf("initdb + start: %v", time.Since(start))

	start = time.Now()
	if err := c.Start(ctx); err != nil {
		t.Fatalf("Start of a running cluster: %v", err)
	}
	t.Logf("Start of a running cluster: %v", time.Since(start))

	other := &pgcluster.Cluster{Dir: c.Dir, Port: freePort(t)}
	if err := other.Start(ctx); err == nil || !strings.Contains(err.Error(), "already running on port") {
		t.Fatalf("Start on another port = %v, want an already-running error", err)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- pgcluster.EnsureDatabase(ctx, c.URL("postgres"), "cohabit_dev") })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent EnsureDatabase: %v", err)
		}
	}
	if err := pgcluster.EnsureDatabase(ctx, c.URL("postgres"), "cohabit_dev"); err != nil {
		t.Fatalf("EnsureDatabase of an existing database: %v", err)
	}
	assertSetting(t, c.URL("cohabit_dev"), "max_connections", "300")
	assertSetting(t, c.URL("cohabit_dev"), "fsync", "off")
	assertSetting(t, c.URL("cohabit_dev"), "server_encoding", "UTF8")

	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop of a stopped cluster: %v", err)
	}

	// Restarting keeps the data, and durable settings come back when Fast is off.
	c.Fast = false
	start = time.Now()
	if err := c.Start(ctx); err != nil {
		t.Fatalf("Start of an existing cluster: %v", err)
	}
	t.Logf("start of an existing cluster: %v", time.Since(start))
	assertSetting(t, c.URL("cohabit_dev"), "fsync", "on")
}

func assertSetting(t *testing.T, url, name, want string) {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(context.Background())
	var got string
	if err := conn.QueryRow(t.Context(), "SELECT current_setting($1)", name).Scan(&got); err != nil {
		t.Fatalf("read setting %s: %v", name, err)
	}
	if got != want {
		t.Fatalf("%s = %q, want %q", name, got, want)
	}
}

// requirePostgres skips without server binaries, except in CI where their
// absence is a broken runner rather than a developer's choice.
func requirePostgres(t *testing.T) {
	t.Helper()
	if _, err := pgcluster.FindBinDir(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
}

// openTempDir is a temporary folder the `postgres` user can traverse, unlike
// t.TempDir's 0700 folders.
func openTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	return dir
}

func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// A root process whose project sits in a folder the server's user cannot traverse (a clone
// under /root, 0700) keeps the cluster under Fallback instead, finds it there again, and
// leaves the closed folder's permissions alone.
func TestStartFallbackForClosedParent(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	if os.Geteuid() != 0 {
		t.Skip("only root hands the cluster to another user")
	}
	ctx := t.Context()
	home := filepath.Join(t.TempDir(), "root") // like /root: 0700, owned by root
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	closed := filepath.Join(home, "my project")
	fallback := filepath.Join(openTempDir(t), "clusters")
	c := &pgcluster.Cluster{Dir: filepath.Join(closed, ".data", "pg"), Port: freePort(t), Fast: true, Fallback: fallback}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Errorf("Stop in cleanup: %v", err)
		}
	})
	if err := c.Start(ctx); err != nil {
		t.Fatalf("Start under a closed folder with a Fallback: %v", err)
	}
	loc, err := c.Location(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc, fallback+string(filepath.Separator)+"my_project-") {
		t.Fatalf("Location = %q, want a folder of %s named after the project", loc, fallback)
	}
	if _, err := os.Stat(filepath.Join(loc, "PG_VERSION")); err != nil {
		t.Fatalf("no cluster in %s: %v", loc, err)
	}
	if _, err := os.Stat(c.Dir); !os.IsNotExist(err) {
		t.Fatalf("%s exists (%v): the cluster should live only under Fallback", c.Dir, err)
	}
	fi, err := os.Stat(home)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("the closed folder's mode changed: %v %v", fi.Mode(), err)
	}
	if err := pgcluster.EnsureDatabase(ctx, c.URL("postgres"), "cohabit_dev"); err != nil {
		t.Fatal(err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	// The same project finds its cluster, and its data, again.
	again := &pgcluster.Cluster{Dir: c.Dir, Port: c.Port, Fast: true, Fallback: fallback}
	if err := again.Start(ctx); err != nil {
		t.Fatalf("second Start: %v", err)
	}
	assertSetting(t, c.URL("cohabit_dev"), "server_encoding", "UTF8")

	// Another clone gets a cluster of its own.
	other := &pgcluster.Cluster{Dir: filepath.Join(t.TempDir(), "my project", ".data", "pg"), Port: c.Port, Fallback: fallback}
	if l, err := other.Location(ctx); err != nil || l == loc {
		t.Fatalf("another clone's Location = %q, %v; want a folder other than %q", l, err, loc)
	}
}

// A folder the server's user reaches keeps the cluster in Dir, spaces in its path
// included (the unix socket lives there too).
func TestStartInPathWithSpaces(t *testing.T) {
	t.Parallel()
	requirePostgres(t)
	ctx := t.Context()
	fallback := filepath.Join(openTempDir(t), "clusters")
	c := &pgcluster.Cluster{Dir: filepath.Join(openTempDir(t), "a project", ".data", "pg"), Port: freePort(t), Fast: true, Fallback: fallback}
	t.Cleanup(func() {
		if err := c.Stop(context.Background()); err != nil {
			t.Errorf("Stop in cleanup: %v", err)
		}
	})
	if err := c.Start(ctx); err != nil {
		t.Fatalf("Start in a path with spaces: %v", err)
	}
	if loc, err := c.Location(ctx); err != nil || loc != c.Dir {
		t.Fatalf("Location = %q, %v; want Dir %q", loc, err, c.Dir)
	}
	if _, err := os.Stat(fallback); !os.IsNotExist(err) {
		t.Fatalf("Fallback %s was created (%v) though Dir was reachable", fallback, err)
	}
}

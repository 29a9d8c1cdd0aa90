// Package pgcluster runs a private PostgreSQL cluster for development and
// tests: `make run` keeps its data in one, and pgtest starts one when no
// server is given. It drives the server binaries directly (initdb, pg_ctl)
// rather than a container, because the machines that build Cohabit have no
// Docker.
package pgcluster

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Superuser is the role initdb creates and every URL connects as.
const Superuser = "postgres"

// maxSocketPath is the longest unix socket path Linux accepts (sun_path).
const maxSocketPath = 107

// readyTimeout bounds the wait for a server to accept connections, whether
// this process started it or another one is starting it.
const readyTimeout = 60 * time.Second

// Cluster is a PostgreSQL cluster kept in Dir, listening on 127.0.0.1:Port
// only, with its unix socket in Dir so it never clashes with a system server
// on 5432 or /var/run/postgresql.
type Cluster struct {
	// Dir is the data folder. It is created and initialised when it holds
	// no cluster yet.
	Dir string
	// Port is the TCP port on 127.0.0.1.
	Port int
	// BinDir holds initdb, pg_ctl and postgres. Empty means: the newest
	// /usr/lib/postgresql/*/bin, then PATH (what scripts/ensure-postgres.sh
	// finds).
	BinDir string
	// Fast trades durability for speed (fsync, synchronous_commit and
	// full_page_writes off): a crash of the machine can corrupt the cluster.
	// Only for throw-away test clusters, never for `make run`.
	Fast bool
	// Fallback, when set, is where the cluster lives instead of Dir when the
	// server's user cannot reach Dir: a root process runs the server as
	// `postgres`, which cannot traverse a project cloned under /root or any
	// folder only root can read. The cluster then lives in a folder of
	// Fallback named after Dir's path (Location says which), so each project
	// keeps its own and finds it again. Empty: such a Dir is an error.
	Fallback string
}

// Start initialises the cluster when Dir holds none, starts it and waits
// until it accepts connections. It returns nil at once when the cluster is
// already running, so callers need not track whether they started it.
//
// When the process runs as root, the cluster runs as the `postgres` system
// user (the server refuses root): its folder is chowned to it, and every
// parent of that folder must be traversable by it — Dir's, or, when they are
// not and Fallback is set, the folder Location names under Fallback.
func (c *Cluster) Start(ctx context.Context) error {
	dir, err := c.Location(ctx)
	if err != nil {
		return err
	}
	bin, err := c.binDir()
	if err != nil {
		return err
	}
	owner, err := serverUser()
	if err != nil {
		return err
	}

	if up, err := c.running(ctx, dir); err != nil || up {
		return err
	}

	if _, err := os.Stat(filepath.Join(dir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		if err := c.initdb(ctx, bin, dir, owner); err != nil {
			return err
		}
	} else if err != nil {
		return fmt.Errorf("pgcluster: inspect %s: %w", dir, err)
	}
	if err := owner.canUse(ctx, dir); err != nil {
		return err
	}

	if err := c.pgctlStart(ctx, bin, dir, owner); err != nil {
		// Another process may have started the same cluster between our
		// check and pg_ctl; that is success, not a failure.
		if up, rerr := c.running(ctx, dir); rerr == nil && up {
			return nil
		}
		return err
	}
	return c.waitReady(ctx)
}

// Stop shuts the cluster down with pg_ctl's fast mode (open sessions are
// disconnected, nothing is lost). Stopping a cluster that is not running is
// not an error.
func (c *Cluster) Stop(ctx context.Context) error {
	dir, err := c.Location(ctx)
	if err != nil {
		return err
	}
	if _, ok := readPID(dir); !ok {
		return nil
	}
	bin, err := c.binDir()
	if err != nil {
		return err
	}
	owner, err := serverUser()
	if err != nil {
		return err
	}
	out, err := owner.command(ctx, dir, filepath.Join(bin, "pg_ctl"),
		"stop", "-D", dir, "-m", "fast", "-w", "-t", "60", "-s").CombinedOutput()
	if err != nil {
		if _, ok := readPID(dir); !ok {
			return nil // it stopped on its own meanwhile
		}
		return fmt.Errorf("pgcluster: pg_ctl stop %s: %w: %s", dir, err, bytes.TrimSpace(out))
	}
	return nil
}

// URL is the connection URL of database db as the superuser, over TCP
// (no password: the cluster trusts local connections).
func (c *Cluster) URL(db string) string {
	return fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable",
		Superuser, c.Port, url.PathEscape(db))
}

// EnsureDatabase creates database name unless it exists, connecting with
// adminURL (any database of the server, usually `postgres`). Concurrent
// callers creating the same database all succeed.
func EnsureDatabase(ctx context.Context, adminURL, name string) error {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return fmt.Errorf("pgcluster: connect to create database %q: %w", name, err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	var exists bool
	if err := conn.QueryRow(ctx,
		"SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return fmt.Errorf("pgcluster: look up database %q: %w", name, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		var pgErr *pgconn.PgError
		// 42P04 when the other creator committed first, 23505 when both
		// raced on pg_database's unique index.
		if errors.As(err, &pgErr) && (pgErr.Code == "42P04" || pgErr.Code == "23505") {
			return nil
		}
		return fmt.Errorf("pgcluster: create database %q: %w", name, err)
	}
	return nil
}

// Location returns the folder that holds (or will hold) the cluster: Dir, or
// its folder under Fallback when the server's user cannot reach Dir (see
// Fallback). A cluster already initialised in either place stays there, so a
// later change of permissions never hides a project's data.
func (c *Cluster) Location(ctx context.Context) (string, error) {
	dir, err := c.dir()
	if err != nil || c.Fallback == "" {
		return dir, err
	}
	if exists(filepath.Join(dir, "PG_VERSION")) {
		return dir, nil
	}
	fallback, err := c.fallbackDir(dir)
	if err != nil {
		return "", err
	}
	if exists(filepath.Join(fallback, "PG_VERSION")) {
		return fallback, nil
	}
	owner, err := serverUser()
	if err != nil {
		return "", err
	}
	if owner.canReach(ctx, dir) {
		return dir, nil
	}
	// Root makes the folders above the cluster, open to everyone (0755) so that the
	// server's user reaches the cluster it owns; Fallback itself must be reachable.
	if err := os.MkdirAll(filepath.Dir(fallback), 0o755); err != nil {
		return "", fmt.Errorf("pgcluster: create %s: %w", filepath.Dir(fallback), err)
	}
	if !owner.canReach(ctx, fallback) {
		return "", owner.canUse(ctx, filepath.Dir(fallback))
	}
	return fallback, nil
}

// fallbackDir is Dir's folder under Fallback: the name of the folder two levels above
// the cluster (the project, for <project>/.data/pg) made safe, for people who look, and a
// hash of Dir's whole path, so that two clones never share a cluster.
func (c *Cluster) fallbackDir(dir string) (string, error) {
	root, err := filepath.Abs(c.Fallback)
	if err != nil {
		return "", fmt.Errorf("pgcluster: resolve Fallback %s: %w", c.Fallback, err)
	}
	sum := sha256.Sum256([]byte(dir))
	name := safeName.ReplaceAllString(filepath.Base(filepath.Dir(filepath.Dir(dir))), "_")
	if len(name) > 24 {
		name = name[:24]
	}
	fallback := filepath.Join(root, name+"-"+hex.EncodeToString(sum[:6]))
	if sock := filepath.Join(fallback, ".s.PGSQL."+strconv.Itoa(c.Port)); len(sock) > maxSocketPath {
		return "", fmt.Errorf("pgcluster: Fallback %s is too long for a unix socket path (%d > %d bytes)", root, len(sock), maxSocketPath)
	}
	return fallback, nil
}

var safeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

func (c *Cluster) dir() (string, error) {
	if c.Dir == "" {
		return "", errors.New("pgcluster: Dir is empty")
	}
	if c.Port <= 0 || c.Port > 65535 {
		return "", fmt.Errorf("pgcluster: invalid Port %d", c.Port)
	}
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return "", fmt.Errorf("pgcluster: resolve %s: %w", c.Dir, err)
	}
	// The socket lives in Dir; a longer path makes the server fail to bind
	// with an obscure message, so say it plainly.
	if sock := filepath.Join(dir, ".s.PGSQL."+strconv.Itoa(c.Port)); len(sock) > maxSocketPath {
		return "", fmt.Errorf("pgcluster: Dir %s is too long for a unix socket path (%d > %d bytes)", dir, len(sock), maxSocketPath)
	}
	return dir, nil
}

func (c *Cluster) binDir() (string, error) {
	if c.BinDir != "" {
		if !hasServer(c.BinDir) {
			return "", fmt.Errorf("pgcluster: BinDir %s lacks initdb, pg_ctl or postgres; run scripts/ensure-postgres.sh", c.BinDir)
		}
		return c.BinDir, nil
	}
	return FindBinDir()
}

// FindBinDir returns the folder holding PostgreSQL's server binaries, searched
// like scripts/ensure-postgres.sh does: the newest /usr/lib/postgresql/*/bin
// (Debian only puts client wrappers on PATH), then PATH.
func FindBinDir() (string, error) {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return majorOf(dirs[i]) > majorOf(dirs[j]) })
	for _, d := range dirs {
		if hasServer(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if d := filepath.Dir(p); hasServer(d) {
			return d, nil
		}
	}
	return "", errors.New("pgcluster: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found in /usr/lib/postgresql/*/bin or PATH; run scripts/ensure-postgres.sh")
}

// majorOf orders /usr/lib/postgresql/<major>/bin numerically, so 15 beats 9.
func majorOf(dir string) float64 {
	v, err := strconv.ParseFloat(filepath.Base(filepath.Dir(dir)), 64)
	if err != nil {
		return -1
	}
	return v
}

func hasServer(dir string) bool {
	for _, name := range []string{"initdb", "pg_ctl", "postgres"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil || fi.IsDir() || fi.Mode()&0o111 == 0 {
			return false
		}
	}
	return true
}

func (c *Cluster) initdb(ctx context.Context, bin, dir string, owner *runAs) error {
	// Parents this creates must stay traversable by the cluster's owner;
	// MkdirAll(dir, 0o700) would lock it out of its own data.
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("pgcluster: create %s: %w", filepath.Dir(dir), err)
	}
	// initdb works in a side folder renamed into place when complete, so that an initdb
	// interrupted half-way never leaves a folder that looks like a cluster.
	tmp := dir + ".initdb"
	if err := os.RemoveAll(tmp); err != nil {
		return fmt.Errorf("pgcluster: remove unfinished %s: %w", tmp, err)
	}
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return fmt.Errorf("pgcluster: create %s: %w", tmp, err)
	}
	if err := owner.own(tmp); err != nil {
		return err
	}
	if err := owner.canUse(ctx, tmp); err != nil {
		return err
	}
	args := []string{
		"-D", tmp, "-U", Superuser,
		// A fixed C locale with UTF8 keeps sorting and encoding the same on
		// every machine, whatever LANG the caller has.
		"--encoding=UTF8", "--no-locale",
		"--auth-local=trust", "--auth-host=trust",
		"--no-instructions",
	}
	if c.Fast {
		args = append(args, "--no-sync")
	}
	out, err := owner.command(ctx, tmp, filepath.Join(bin, "initdb"), args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgcluster: initdb %s: %w: %s", dir, err, bytes.TrimSpace(out))
	}
	// An empty dir (left by an older run) is replaced by the rename.
	if err := os.Remove(dir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("pgcluster: %s exists and is not an empty folder: %w", dir, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("pgcluster: move new cluster into %s: %w", dir, err)
	}
	return nil
}

func (c *Cluster) pgctlStart(ctx context.Context, bin, dir string, owner *runAs) error {
	opts := []string{
		"-c", "listen_addresses=127.0.0.1",
		"-p", strconv.Itoa(c.Port),
		"-c", "unix_socket_directories=" + dir,
		"-c", "max_connections=300",
	}
	if c.Fast {
		opts = append(opts,
			"-c", "fsync=off",
			"-c", "synchronous_commit=off",
			"-c", "full_page_writes=off")
	}
	quoted := make([]string, len(opts))
	for i, o := range opts {
		quoted[i] = shellQuote(o) // pg_ctl hands -o to /bin/sh
	}
	logFile := filepath.Join(dir, "server.log")
	cmd := owner.command(ctx, dir, filepath.Join(bin, "pg_ctl"),
		"start", "-D", dir, "-l", logFile, "-w", "-t", strconv.Itoa(int(readyTimeout/time.Second)), "-s",
		"-o", strings.Join(quoted, " "))
	// A new session keeps the server out of the caller's process group, so
	// Ctrl-C on `go test` or `make run` does not shut down a cluster other
	// processes may be using.
	cmd.SysProcAttr.Setsid = true
	// -l sends the server's output to the log file, so these pipes close when
	// pg_ctl exits rather than when the server does.
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("pgcluster: pg_ctl start %s on port %d: %w: %s\n%s",
			dir, c.Port, err, bytes.TrimSpace(out), tail(logFile, 15))
	}
	return nil
}

// running reports whether the cluster in dir is up and accepting
// connections on c.Port. A server that is still starting is waited for.
func (c *Cluster) running(ctx context.Context, dir string) (bool, error) {
	pid, ok := readPID(dir)
	if !ok {
		return false, nil
	}
	if pid.port != 0 && pid.port != c.Port {
		return false, fmt.Errorf("pgcluster: cluster %s is already running on port %d, not %d", dir, pid.port, c.Port)
	}
	if err := c.waitReady(ctx); err != nil {
		return false, err
	}
	return true, nil
}

func (c *Cluster) waitReady(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	for {
		err := ping(ctx, c.URL("postgres"))
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("pgcluster: cluster %s not accepting connections on port %d: %w", c.Dir, c.Port, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
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

type pidFile struct {
	pid  int
	port int
}

// readPID reads postmaster.pid and reports whether its process is alive. A
// file left by a killed server is ignored: the server removes it on start.
func readPID(dir string) (pidFile, bool) {
	b, err := os.ReadFile(filepath.Join(dir, "postmaster.pid"))
	if err != nil {
		return pidFile{}, false
	}
	// Lines: pid, data dir, start time, port, socket dir, address, shm key, status.
	lines := strings.Split(string(b), "\n")
	var p pidFile
	p.pid, err = strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil || p.pid <= 0 {
		return pidFile{}, false
	}
	if len(lines) > 3 {
		p.port, _ = strconv.Atoi(strings.TrimSpace(lines[3]))
	}
	if err := syscall.Kill(p.pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return pidFile{}, false
	}
	// After a reboot or in a new container the pid may belong to another
	// program; waiting for that one to accept connections would be futile.
	if comm, err := os.ReadFile(fmt.Sprintf("/proc/%d/comm", p.pid)); err == nil &&
		!strings.HasPrefix(string(comm), "postgres") {
		return pidFile{}, false
	}
	return p, true
}

func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
		if len(lines) > n {
			lines = lines[1:]
		}
	}
	return strings.Join(lines, "\n")
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// runAs runs the server tools as the current user, or as `postgres` when the
// process is root (initdb and postgres refuse to run as root).
type runAs struct {
	cred *syscall.Credential // nil: the current user
	name string
}

func serverUser() (*runAs, error) {
	if os.Geteuid() != 0 {
		return &runAs{}, nil
	}
	u, err := user.Lookup(Superuser)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: running as root needs a %q system user to own the cluster (run scripts/ensure-postgres.sh): %w", Superuser, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: uid of %q: %w", Superuser, err)
	}
	gid, err := strconv.ParseUint(u.Gid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: gid of %q: %w", Superuser, err)
	}
	cred := &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	if ids, err := u.GroupIds(); err == nil {
		for _, g := range ids {
			if n, err := strconv.ParseUint(g, 10, 32); err == nil {
				cred.Groups = append(cred.Groups, uint32(n))
			}
		}
	}
	return &runAs{cred: cred, name: Superuser}, nil
}

// command prepares a command run as the cluster's owner. It runs in dir
// because the caller's working folder (often /root) may be closed to that
// user, and initdb and pg_ctl fail when they cannot resolve it.
func (r *runAs) command(ctx context.Context, dir, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: r.cred}
	cmd.Env = serverEnv()
	return cmd
}

// serverEnv drops the caller's PG* variables, which would otherwise steer
// pg_ctl and the server to another cluster or port.
func serverEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			env = append(env, kv)
		}
	}
	return env
}

func (r *runAs) own(dir string) error {
	if r.cred == nil {
		return nil
	}
	if err := os.Chown(dir, int(r.cred.Uid), int(r.cred.Gid)); err != nil {
		return fmt.Errorf("pgcluster: chown %s to %s: %w", dir, r.name, err)
	}
	if err := os.Chmod(dir, 0o700); err != nil { // the server refuses a group- or world-readable data folder
		return fmt.Errorf("pgcluster: chmod %s: %w", dir, err)
	}
	return nil
}

// canReach reports whether the cluster's owner can reach dir, or, when dir does
// not exist yet, the nearest folder above it (the folders Start creates are
// open to it): access(2) needs search permission on every folder of the path.
func (r *runAs) canReach(ctx context.Context, dir string) bool {
	if r.cred == nil {
		return true
	}
	p := dir
	for !exists(p) && p != filepath.Dir(p) {
		p = filepath.Dir(p)
	}
	return r.command(ctx, "/", "test", "-x", p).Run() == nil
}

// canUse checks that the cluster's owner can reach dir, naming the first
// parent folder that blocks it: otherwise initdb fails with a bare
// "Permission denied" that says nothing of which folder is at fault.
func (r *runAs) canUse(ctx context.Context, dir string) error {
	if r.cred == nil {
		return nil
	}
	if r.command(ctx, "/", "test", "-r", dir, "-a", "-w", dir, "-a", "-x", dir).Run() == nil {
		return nil
	}
	var parents []string
	for p := filepath.Dir(dir); p != "/" && p != "."; p = filepath.Dir(p) {
		parents = append([]string{p}, parents...)
	}
	for _, p := range parents {
		if r.command(ctx, "/", "test", "-x", p).Run() != nil {
			return fmt.Errorf("pgcluster: the cluster runs as user %q, which cannot traverse %s (needed to reach %s); make it traversable (chmod o+x %s) or choose a Dir elsewhere", r.name, p, dir, p)
		}
	}
	return fmt.Errorf("pgcluster: the cluster runs as user %q, which cannot read and write %s; chown it to %s or remove it", r.name, dir, r.name)
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/notifications/mailsink"
	"github.com/cohabit/cohabit/services/platform/auth"
)

// serviceNames are the services run as replicas, in the order of their ports.
func serviceNames() []string {
	return []string{"identity", "hosts", "students", "matching", "contracts", "notifications", "desk", "figures"}
}

const (
	replicas = 3 // of etcd, PostgreSQL and NATS
	copies   = 2 // of each service and of the gateway
)

// Ports are the base plus these offsets.
func (s settings) etcdClient(i int) int { return s.base + i }
func (s settings) etcdPeer(i int) int   { return s.base + 3 + i }
func (s settings) patroniAPI(i int) int { return s.base + 10 + i }
func (s settings) pgPort(i int) int     { return s.base + 13 + i }
func (s settings) natsClient(i int) int { return s.base + 20 + i }
func (s settings) natsRoute(i int) int  { return s.base + 23 + i }
func (s settings) natsMon(i int) int    { return s.base + 26 + i }
func (s settings) smtpPort() int        { return s.base + 30 }
func (s settings) gatewayPort(i int) int {
	return s.base + 40 + i
}
func (s settings) servicePort(svc, i int) int { return s.base + 50 + 2*svc + i }

// Metrics listeners (platform/metrics): the gateways', then each service replica's.
func (s settings) gatewayMetricsPort(i int) int      { return s.base + 44 + i }
func (s settings) serviceMetricsPort(svc, i int) int { return s.base + 70 + 2*svc + i }

// proc is one supervised process: started again a second after it exits, until the cluster
// stops.
type proc struct {
	name, kind string
	cmd        func() *exec.Cmd
	logFile    string

	mu       sync.Mutex
	pid      int
	restarts int
	held     bool          // not started again while held (a lost node stays lost)
	exited   chan struct{} // closed when the current run exits
	done     chan struct{} // closed when the supervisor gives up (cluster stopping)
}

// Pid is the current process's id (its process group's too), 0 between runs.
func (p *proc) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.pid
}

// Exited is closed when the current run exits.
func (p *proc) Exited() <-chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.exited
}

// Hold keeps the process from being started again until Release: a node that is lost, not
// one that restarts at once.
func (p *proc) Hold() {
	p.mu.Lock()
	p.held = true
	p.mu.Unlock()
}

// Release lets the supervisor start the process again.
func (p *proc) Release() {
	p.mu.Lock()
	p.held = false
	p.mu.Unlock()
}

func (p *proc) isHeld() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.held
}

// Restarts counts how often the process was started again.
func (p *proc) Restarts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.restarts
}

// Signal sends sig to the process's whole group (patroni and its PostgreSQL together).
func (p *proc) Signal(sig syscall.Signal) error {
	pid := p.Pid()
	if pid == 0 {
		return fmt.Errorf("%s is not running", p.name)
	}
	return syscall.Kill(-pid, sig)
}

type cluster struct {
	cfg      settings
	log      *slog.Logger
	mail     *mailsink.Sink
	procs    []*proc
	stopping chan struct{}
	stopOnce sync.Once
	wg       sync.WaitGroup
}

func (c *cluster) byKind(kind string) []*proc {
	var out []*proc
	for _, p := range c.procs {
		if p.kind == kind {
			out = append(out, p)
		}
	}
	return out
}

func (c *cluster) proc(name string) *proc {
	for _, p := range c.procs {
		if p.name == name {
			return p
		}
	}
	return nil
}

// supervise runs p until the cluster stops.
func (c *cluster) supervise(p *proc) {
	defer c.wg.Done()
	defer close(p.done)
	for {
		cmd := p.cmd()
		cmd.SysProcAttr = mergeAttr(cmd.SysProcAttr)
		f, err := os.OpenFile(p.logFile, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err == nil {
			cmd.Stdout, cmd.Stderr = f, f
		}
		exited := make(chan struct{})
		err = cmd.Start()
		p.mu.Lock()
		if err == nil {
			p.pid = cmd.Process.Pid
		}
		p.exited = exited
		p.mu.Unlock()
		if err != nil {
			c.log.Error("cannot start", "proc", p.name, "err", err)
		} else {
			_ = cmd.Wait()
		}
		if f != nil {
			_ = f.Close()
		}
		p.mu.Lock()
		p.pid = 0
		p.mu.Unlock()
		close(exited)
		select {
		case <-c.stopping:
			return
		case <-time.After(time.Second):
		}
		for p.isHeld() {
			select {
			case <-c.stopping:
				return
			case <-time.After(200 * time.Millisecond):
			}
		}
		p.mu.Lock()
		p.restarts++
		p.mu.Unlock()
		c.log.Info("restarting", "proc", p.name, "state", cmd.ProcessState.String())
	}
}

func mergeAttr(a *syscall.SysProcAttr) *syscall.SysProcAttr {
	if a == nil {
		a = &syscall.SysProcAttr{}
	}
	a.Setpgid = true
	// The processes die with the cluster command even if it is killed itself.
	a.Pdeathsig = syscall.SIGKILL
	return a
}

func (c *cluster) add(name, kind string, cmd func() *exec.Cmd) *proc {
	p := &proc{name: name, kind: kind, cmd: cmd, logFile: filepath.Join(c.cfg.dir, "logs", name+".log"), exited: make(chan struct{}), done: make(chan struct{})}
	c.procs = append(c.procs, p)
	c.wg.Add(1)
	go c.supervise(p)
	return p
}

// stop stops the gateways, then the services, NATS, PostgreSQL and etcd, each with SIGTERM
// (a graceful stop), then SIGKILL what is left after 20 s.
func (c *cluster) stop() {
	c.stopOnce.Do(func() {
		close(c.stopping)
		for _, kind := range []string{"gateway", "service", "nats", "pg", "etcd"} {
			ps := c.byKind(kind)
			for _, p := range ps {
				_ = p.Signal(syscall.SIGTERM)
			}
			for _, p := range ps {
				select {
				case <-p.done:
				case <-time.After(20 * time.Second):
					_ = p.Signal(syscall.SIGKILL)
					<-p.done
				}
			}
		}
		c.wg.Wait()
		if c.mail != nil {
			_ = c.mail.Close()
		}
		c.log.Info("cluster stopped")
	})
}

func start(ctx context.Context, cfg settings, log *slog.Logger) (*cluster, error) {
	c := &cluster{cfg: cfg, log: log, stopping: make(chan struct{})}
	for _, d := range []string{"logs", "keys", "etcd", "pg", "nats", "mail"} {
		if err := os.MkdirAll(filepath.Join(cfg.dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	keys, err := writeKeys(filepath.Join(cfg.dir, "keys"))
	if err != nil {
		return nil, err
	}
	c.mail, err = mailsink.Start(net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.smtpPort())), filepath.Join(cfg.dir, "mail"), log)
	if err != nil {
		return nil, err
	}

	// etcd: Patroni's store of who leads.
	var peers []string
	for i := range replicas {
		peers = append(peers, fmt.Sprintf("e%d=http://127.0.0.1:%d", i+1, cfg.etcdPeer(i)))
	}
	for i := range replicas {
		name := fmt.Sprintf("e%d", i+1)
		c.add("etcd-"+strconv.Itoa(i+1), "etcd", func() *exec.Cmd {
			client := fmt.Sprintf("http://127.0.0.1:%d", cfg.etcdClient(i))
			peer := fmt.Sprintf("http://127.0.0.1:%d", cfg.etcdPeer(i))
			state := "new"
			if _, err := os.Stat(filepath.Join(cfg.dir, "etcd", name, "member")); err == nil {
				state = "existing"
			}
			return exec.Command("etcd", "--name", name, "--data-dir", filepath.Join(cfg.dir, "etcd", name),
				"--listen-client-urls", client, "--advertise-client-urls", client,
				"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
				"--initial-cluster", strings.Join(peers, ","), "--initial-cluster-state", state,
				"--initial-cluster-token", "cohabit-"+strconv.Itoa(cfg.base))
		})
	}

	// PostgreSQL under Patroni, run as the postgres user (the server refuses root).
	cred, err := postgresUser(filepath.Join(cfg.dir, "pg"))
	if err != nil {
		return c, err
	}
	for i := range replicas {
		conf, err := writePatroniConfig(cfg, i, cred)
		if err != nil {
			return c, err
		}
		c.add("pg-"+strconv.Itoa(i+1), "pg", func() *exec.Cmd {
			cmd := exec.Command("patroni", conf)
			cmd.Dir = filepath.Join(cfg.dir, "pg")
			cmd.Env = append(os.Environ(), "PATH=/usr/lib/postgresql/15/bin:"+os.Getenv("PATH"))
			if cred != nil {
				cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
			}
			return cmd
		})
	}

	// NATS: three nodes with routes.
	var routes []string
	for i := range replicas {
		routes = append(routes, fmt.Sprintf("nats-route://127.0.0.1:%d", cfg.natsRoute(i)))
	}
	for i := range replicas {
		c.add("nats-"+strconv.Itoa(i+1), "nats", func() *exec.Cmd {
			cmd := exec.Command(filepath.Join(cfg.bin, "natsnode"))
			cmd.Env = append(os.Environ(),
				"COHABIT_NATS_PORT="+strconv.Itoa(cfg.natsClient(i)),
				"COHABIT_NATS_MONITOR_PORT="+strconv.Itoa(cfg.natsMon(i)),
				"COHABIT_NATS_STORE_DIR="+filepath.Join(cfg.dir, "nats", strconv.Itoa(i+1)),
				"COHABIT_NATS_CLUSTER_NAME=cohabit",
				"COHABIT_NATS_SERVER_NAME=n"+strconv.Itoa(i+1),
				"COHABIT_NATS_CLUSTER_PORT="+strconv.Itoa(cfg.natsRoute(i)),
				"COHABIT_NATS_ROUTES="+strings.Join(routes, ","),
				"COHABIT_LOG_FORMAT=text")
			return cmd
		})
	}

	if err := c.waitPrimary(ctx, 90*time.Second); err != nil {
		return c, err
	}
	if err := c.waitSyncStandby(ctx, 2*time.Minute); err != nil {
		return c, err
	}
	if err := c.createDatabases(ctx); err != nil {
		return c, err
	}
	if err := c.waitJetStream(ctx, time.Minute); err != nil {
		return c, err
	}

	env := c.commonEnv(keys)
	for si, svc := range serviceNames() {
		for r := range copies {
			c.add(fmt.Sprintf("%s-%d", svc, r+1), "service", func() *exec.Cmd {
				cmd := exec.Command(filepath.Join(cfg.bin, svc))
				cmd.Env = append(append(os.Environ(), env...),
					"COHABIT_"+strings.ToUpper(svc)+"_GRPC_ADDR="+fmt.Sprintf("127.0.0.1:%d", cfg.servicePort(si, r)),
					"COHABIT_"+strings.ToUpper(svc)+"_METRICS_ADDR="+fmt.Sprintf("127.0.0.1:%d", cfg.serviceMetricsPort(si, r)))
				return cmd
			})
		}
	}
	for r := range copies {
		c.add(fmt.Sprintf("gateway-%d", r+1), "gateway", func() *exec.Cmd {
			cmd := exec.Command(filepath.Join(cfg.bin, "gateway"))
			cmd.Env = append(append(os.Environ(), env...), fmt.Sprintf("COHABIT_HTTP_ADDR=127.0.0.1:%d", cfg.gatewayPort(r)),
				fmt.Sprintf("COHABIT_METRICS_ADDR=127.0.0.1:%d", cfg.gatewayMetricsPort(r)))
			return cmd
		})
	}
	if err := c.waitReady(ctx, 3*time.Minute); err != nil {
		return c, err
	}
	return c, nil
}

// dbURL is a service's database: every PostgreSQL node, the driver connecting to the one
// that accepts writes, so a failover needs no restart (pgx tries the next host).
func (c *cluster) dbURL(db string) string {
	var hosts []string
	for i := range replicas {
		hosts = append(hosts, fmt.Sprintf("127.0.0.1:%d", c.cfg.pgPort(i)))
	}
	return fmt.Sprintf("postgres://postgres@%s/%s?sslmode=disable&target_session_attrs=read-write&connect_timeout=3", strings.Join(hosts, ","), db)
}

func (c *cluster) natsURL() string {
	var urls []string
	for i := range replicas {
		urls = append(urls, fmt.Sprintf("nats://127.0.0.1:%d", c.cfg.natsClient(i)))
	}
	return strings.Join(urls, ",")
}

// commonEnv is what every service and gateway replica reads: each service's address is
// the list of its replicas (grpcx.Dial balances over them), its database URL names every
// PostgreSQL node.
func (c *cluster) commonEnv(k keyFiles) []string {
	env := []string{
		"COHABIT_LOG_FORMAT=text",
		"COHABIT_NATS_URL=" + c.natsURL(),
		"COHABIT_NATS_REPLICAS=3",
		"COHABIT_TOKEN_PUBLIC_KEY_FILE=" + k.tokenPub,
		"COHABIT_TOKEN_PRIVATE_KEY_FILE=" + k.tokenKey,
		"COHABIT_SERVICE_PUBLIC_KEY_FILE=" + k.servicePub,
		"COHABIT_SERVICE_PRIVATE_KEY_FILE=" + k.serviceKey,
		"COHABIT_SMTP_URL=" + c.mail.URL(),
		"COHABIT_DEV_SEED=true",
		"COHABIT_PUBLIC_URL=" + fmt.Sprintf("http://127.0.0.1:%d", c.cfg.gatewayPort(0)),
		"COHABIT_METRICS_ADDR=",
	}
	for si, svc := range serviceNames() {
		up := strings.ToUpper(svc)
		var addrs []string
		for r := range copies {
			addrs = append(addrs, fmt.Sprintf("127.0.0.1:%d", c.cfg.servicePort(si, r)))
		}
		env = append(env,
			"COHABIT_"+up+"_GRPC_ADDR="+strings.Join(addrs, ","),
			"COHABIT_"+up+"_DATABASE_URL="+c.dbURL("cohabit_"+svc))
	}
	return env
}

// primary returns the index of the node Patroni says leads, or -1.
func (c *cluster) primary(ctx context.Context) int {
	for i := range replicas {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf("http://127.0.0.1:%d/primary", c.cfg.patroniAPI(i)), nil)
		cl := http.Client{Timeout: time.Second}
		res, err := cl.Do(req)
		if err != nil {
			continue
		}
		_ = res.Body.Close()
		if res.StatusCode == http.StatusOK {
			return i
		}
	}
	return -1
}

func (c *cluster) waitPrimary(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for c.primary(ctx) < 0 {
		if time.Now().After(deadline) {
			return fmt.Errorf("no PostgreSQL primary within %v (see %s/logs/pg-*.log)", limit, c.cfg.dir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return nil
}

func (c *cluster) createDatabases(ctx context.Context) error {
	var conn *pgx.Conn
	var err error
	for range 30 {
		conn, err = pgx.Connect(ctx, c.dbURL("postgres"))
		if err == nil {
			break
		}
		time.Sleep(time.Second)
	}
	if err != nil {
		return fmt.Errorf("connect to the primary: %w", err)
	}
	defer conn.Close(ctx)
	for _, svc := range serviceNames() {
		var exists bool
		if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", "cohabit_"+svc).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{"cohabit_" + svc}.Sanitize()); err != nil {
				return err
			}
		}
	}
	return nil
}

// waitReady waits until every gateway's /readyz answers 200: every backend has a ready
// replica, each of which reached its database and NATS.
func (c *cluster) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		ready := 0
		for r := range copies {
			res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", c.cfg.gatewayPort(r)))
			if err == nil {
				_ = res.Body.Close()
				if res.StatusCode == http.StatusOK {
					ready++
				}
			}
		}
		if ready == copies {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("gateways not ready within %v (see %s/logs)", limit, c.cfg.dir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

func (c *cluster) banner() string {
	var b strings.Builder
	fmt.Fprintf(&b, "\nCohabit cluster up (data and logs in %s):\n", c.cfg.dir)
	for r := range copies {
		fmt.Fprintf(&b, "  gateway %d      http://127.0.0.1:%d\n", r+1, c.cfg.gatewayPort(r))
	}
	fmt.Fprintf(&b, "  metrics        http://127.0.0.1:%d/metrics (gateway 1) … :%d (gateway 2); services' replicas :%d to :%d\n",
		c.cfg.gatewayMetricsPort(0), c.cfg.gatewayMetricsPort(1), c.cfg.serviceMetricsPort(0, 0), c.cfg.serviceMetricsPort(len(serviceNames())-1, copies-1))
	fmt.Fprintf(&b, "  NATS           %s (monitoring http://127.0.0.1:%d/jsz)\n", c.natsURL(), c.cfg.natsMon(0))
	fmt.Fprintf(&b, "  PostgreSQL     %s\n", c.dbURL("<db>"))
	fmt.Fprintf(&b, "  Patroni        patronictl -c %s/pg/patroni-1.yml list\n", c.cfg.dir)
	fmt.Fprintf(&b, "  processes      %d, restarted by the supervisor when they die; Ctrl-C stops all\n\n", len(c.procs))
	return b.String()
}

type keyFiles struct{ tokenKey, tokenPub, serviceKey, servicePub string }

func writeKeys(dir string) (keyFiles, error) {
	k := keyFiles{filepath.Join(dir, "token.key"), filepath.Join(dir, "token.pub"), filepath.Join(dir, "service.key"), filepath.Join(dir, "service.pub")}
	if _, err := os.Stat(k.tokenKey); errors.Is(err, os.ErrNotExist) {
		pub, priv, err := auth.GenerateKey()
		if err != nil {
			return k, err
		}
		pk, err := auth.EncodePrivateKey(priv)
		if err != nil {
			return k, err
		}
		pp, err := auth.EncodePublicKey(pub)
		if err != nil {
			return k, err
		}
		if err := os.WriteFile(k.tokenKey, pk, 0o600); err != nil {
			return k, err
		}
		if err := os.WriteFile(k.tokenPub, pp, 0o644); err != nil {
			return k, err
		}
	}
	if _, err := auth.WriteServiceKeys(k.serviceKey, k.servicePub); err != nil {
		return k, err
	}
	return k, nil
}

// postgresUser is the credential PostgreSQL runs with: postgres when this runs as root (its
// folder given to it), else the current user.
func postgresUser(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("no postgres user (install postgresql-15): %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, err
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func writePatroniConfig(cfg settings, i int, cred *syscall.Credential) (string, error) {
	dir := filepath.Join(cfg.dir, "pg")
	var etcd []string
	for e := range replicas {
		etcd = append(etcd, fmt.Sprintf("127.0.0.1:%d", cfg.etcdClient(e)))
	}
	conf := fmt.Sprintf(`scope: cohabit-%[1]d
name: pg%[2]d
namespace: /cohabit/
log:
  level: INFO
restapi:
  listen: 127.0.0.1:%[3]d
  connect_address: 127.0.0.1:%[3]d
etcd3:
  hosts: %[4]s
bootstrap:
  dcs:
    # A leader that stops renewing its key for ttl seconds loses it, and a synchronous
    # standby is promoted: failover within ttl + loop_wait.
    ttl: 12
    loop_wait: 2
    retry_timeout: 5
    maximum_lag_on_failover: 1048576
    # A commit returns once the synchronous standby has it; only that standby may be
    # promoted, so no acknowledged transaction is lost. Strict: with no standby at all,
    # commits wait rather than go on unprotected (the soak lost rows without it, written
    # before the first standby had caught up).
    synchronous_mode: true
    synchronous_mode_strict: true
    postgresql:
      use_pg_rewind: true
      parameters:
        max_connections: 300
        wal_log_hints: "on"
        max_wal_senders: 10
        max_replication_slots: 10
        wal_keep_size: 256MB
  initdb:
    - encoding: UTF8
    - locale: C
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
postgresql:
  listen: 127.0.0.1:%[5]d
  connect_address: 127.0.0.1:%[5]d
  data_dir: %[6]s/data%[2]d
  bin_dir: /usr/lib/postgresql/15/bin
  pgpass: %[6]s/pgpass%[2]d
  authentication:
    superuser: {username: postgres, password: postgres}
    replication: {username: replicator, password: replicator}
    rewind: {username: postgres, password: postgres}
  parameters:
    unix_socket_directories: %[6]s
    fsync: "on"
  pg_hba:
    - local all all trust
    - host all all 127.0.0.1/32 trust
    - host replication all 127.0.0.1/32 trust
`, cfg.base, i+1, cfg.patroniAPI(i), "["+strings.Join(etcd, ", ")+"]", cfg.pgPort(i), dir)
	path := filepath.Join(dir, fmt.Sprintf("patroni-%d.yml", i+1))
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		return "", err
	}
	if cred != nil {
		_ = os.Chown(path, int(cred.Uid), int(cred.Gid))
	}
	return path, nil
}

// waitJetStream waits until the NATS nodes have elected their meta leader (streams can be
// declared), so the services do not start before.
func (c *cluster) waitJetStream(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/jsz", c.cfg.natsMon(0)))
		if err == nil {
			var jsz struct {
				Meta struct {
					Leader string `json:"leader"`
					Size   int    `json:"cluster_size"`
				} `json:"meta_cluster"`
			}
			_ = json.NewDecoder(res.Body).Decode(&jsz)
			_ = res.Body.Close()
			if jsz.Meta.Leader != "" {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no JetStream meta leader within %v (see %s/logs/nats-*.log)", limit, c.cfg.dir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// waitSyncStandby waits until a node is the primary's synchronous standby, so that the
// services' first commits are already protected.
func (c *cluster) waitSyncStandby(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		for i := range replicas {
			res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/sync", c.cfg.patroniAPI(i)))
			if err == nil {
				_ = res.Body.Close()
				if res.StatusCode == http.StatusOK {
					return nil
				}
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no synchronous standby within %v (see %s/logs/pg-*.log)", limit, c.cfg.dir)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

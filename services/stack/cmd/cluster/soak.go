package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/cohabit/cohabit/proto/eventcat/all"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// The soak: workers walk the chain host → room → student → application → match proposed,
// accepted by both, documents verified, approved, through the two gateways, while the
// faults run: SIGKILL of each service replica in turn, of the NATS node leading the MATCHING
// stream, and of the PostgreSQL primary (Patroni and its server together: the node is lost).
// The supervisor starts each killed process again. Then it checks what the chain promises.
//
// COHABIT_SOAK_WORKERS (3) chains at a time; COHABIT_SOAK_INTERVAL (6s) between faults.

type report struct {
	started, ended   time.Time
	requests         atomic.Int64
	mu               sync.Mutex
	errors           map[string]int // client-visible errors by kind
	kills            map[string]int // by kind
	failovers        []string
	approved         []chainResult
	chainsFailed     []string
	contractsOK      int
	problems         []string
	outboxPending    map[string]int
	undrained        []string
	duplicateApplied int
}

type chainResult struct{ match, room, student string }

func (r *report) errorSeen(kind string) {
	r.mu.Lock()
	r.errors[kind]++
	r.mu.Unlock()
}

func (r *report) problem(format string, args ...any) {
	r.mu.Lock()
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
	r.mu.Unlock()
}

func (r *report) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "\n=== soak report (%s, %v)\n", r.started.UTC().Format(time.RFC3339), r.ended.Sub(r.started).Round(time.Second))
	fmt.Fprintf(&b, "requests through the gateways: %d\n", r.requests.Load())
	fmt.Fprintf(&b, "chains approved: %d; chains that failed: %d\n", len(r.approved), len(r.chainsFailed))
	for _, f := range r.chainsFailed {
		fmt.Fprintf(&b, "  failed chain: %s\n", f)
	}
	fmt.Fprintf(&b, "contracts: %d approved matches with exactly one contract, room reserved and application matched\n", r.contractsOK)
	fmt.Fprintf(&b, "kills (SIGKILL):\n")
	for _, k := range sortedKeys(r.kills) {
		fmt.Fprintf(&b, "  %-28s %d\n", k, r.kills[k])
	}
	fmt.Fprintf(&b, "failovers and recoveries:\n")
	for _, f := range r.failovers {
		fmt.Fprintf(&b, "  %s\n", f)
	}
	fmt.Fprintf(&b, "client-visible errors by kind (each was retried):\n")
	if len(r.errors) == 0 {
		fmt.Fprintf(&b, "  none\n")
	}
	for _, k := range sortedKeys(r.errors) {
		fmt.Fprintf(&b, "  %-50s %d\n", k, r.errors[k])
	}
	fmt.Fprintf(&b, "matches with more than one contract (an event applied twice): %d\n", r.duplicateApplied)
	fmt.Fprintf(&b, "durable consumers with events pending or unacknowledged at the end: %d\n", len(r.undrained))
	fmt.Fprintf(&b, "outbox rows unpublished at the end:")
	total := 0
	for _, k := range sortedKeys(r.outboxPending) {
		total += r.outboxPending[k]
	}
	fmt.Fprintf(&b, " %d\n", total)
	if len(r.problems) == 0 {
		fmt.Fprintf(&b, "RESULT: PASS\n")
	} else {
		fmt.Fprintf(&b, "RESULT: FAIL\n")
		for _, p := range r.problems {
			fmt.Fprintf(&b, "  %s\n", p)
		}
	}
	return b.String()
}

func sortedKeys(m map[string]int) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func soak(ctx context.Context, c *cluster, log *slog.Logger) (*report, error) {
	rep := &report{started: time.Now(), errors: map[string]int{}, kills: map[string]int{}, outboxPending: map[string]int{}}
	defer func() { rep.ended = time.Now() }()
	workers := envInt("COHABIT_SOAK_WORKERS", 3)
	interval := time.Duration(envInt("COHABIT_SOAK_INTERVAL_SECONDS", 6)) * time.Second
	// The short soak of make test: one kill of each kind (faults), the same end checks.
	short := os.Getenv("COHABIT_SOAK_SHORT") != ""
	run := strconv.FormatInt(time.Now().Unix(), 36)

	cl := &client{c: c, rep: rep, http: &http.Client{Timeout: 15 * time.Second}}
	coord, err := cl.login(ctx, "coordinator@demo.cohabit.test", "coordinator-demo-password")
	if err != nil {
		return rep, err
	}
	me, err := cl.call(ctx, "GET", "/v1/me", coord, nil, nil)
	if err != nil {
		return rep, err
	}
	programme := str(me, "programmeId")

	loadCtx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	var seq atomic.Int64
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for loadCtx.Err() == nil {
				i := seq.Add(1)
				res, err := cl.chain(loadCtx, coord, programme, fmt.Sprintf("soak-%s-%d-%d", run, w, i))
				if loadCtx.Err() != nil && err != nil {
					return // stopped mid-chain: not counted
				}
				rep.mu.Lock()
				if err != nil {
					rep.chainsFailed = append(rep.chainsFailed, err.Error())
				} else {
					rep.approved = append(rep.approved, res)
				}
				rep.mu.Unlock()
				if err != nil {
					log.Warn("chain failed", "err", err)
				}
			}
		}()
	}

	// The faults, one at a time, the load running throughout.
	faultErr := c.faults(ctx, rep, interval, short, log)
	time.Sleep(interval)
	stopLoad()
	wg.Wait()
	if faultErr != nil {
		rep.problem("faults: %v", faultErr)
	}
	for _, f := range rep.chainsFailed {
		rep.problem("a chain failed: %s", f)
	}
	c.verify(ctx, cl, coord, rep, log)
	return rep, nil
}

// faults kills, in turn, every service replica and gateway, the NATS node leading the
// MATCHING stream, and the PostgreSQL primary, waiting after each for the cluster to recover
// (and timing it). Short, it kills one of each kind: the primary, the stream's leader and
// one replica of matching (the service every chain goes through).
func (c *cluster) faults(ctx context.Context, rep *report, interval time.Duration, short bool, log *slog.Logger) error {
	pause := func() error {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(interval):
			return nil
		}
	}
	if err := pause(); err != nil {
		return err
	}
	// The PostgreSQL primary, first while the load is fresh.
	if err := c.killPrimary(ctx, rep, log); err != nil {
		return err
	}
	if err := pause(); err != nil {
		return err
	}
	if err := c.killStreamLeader(ctx, rep, matchingevents.Stream.Name, log); err != nil {
		return err
	}
	if short {
		if err := pause(); err != nil {
			return err
		}
		return c.killReplica(ctx, rep, c.proc("matching-1"), log)
	}
	for _, kind := range []string{"service", "gateway"} {
		for _, p := range c.byKind(kind) {
			if err := pause(); err != nil {
				return err
			}
			if err := c.killReplica(ctx, rep, p, log); err != nil {
				return err
			}
		}
	}
	if err := pause(); err != nil {
		return err
	}
	// And the primary once more, late in the run, on whichever node leads now.
	return c.killPrimary(ctx, rep, log)
}

func (c *cluster) killReplica(ctx context.Context, rep *report, p *proc, log *slog.Logger) error {
	exited := p.Exited()
	t0 := time.Now()
	if err := p.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-exited
	rep.mu.Lock()
	rep.kills[p.kind+" replica"]++
	rep.mu.Unlock()
	// Back when the supervisor started it again and it serves (its own health says so).
	port := c.portOf(p)
	deadline := time.Now().Add(2 * time.Minute)
	for !serving(ctx, port, p.kind) {
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not back within 2 minutes", p.name)
		}
		time.Sleep(100 * time.Millisecond)
	}
	d := time.Since(t0)
	log.Info("replica killed and back", "proc", p.name, "in", d)
	rep.mu.Lock()
	rep.failovers = append(rep.failovers, fmt.Sprintf("%-16s killed, serving again after %v (the other replica served meanwhile)", p.name, d.Round(10*time.Millisecond)))
	rep.mu.Unlock()
	return nil
}

func (c *cluster) portOf(p *proc) int {
	name, idx, _ := strings.Cut(p.name, "-")
	r, _ := strconv.Atoi(idx)
	if p.kind == "gateway" {
		return c.cfg.gatewayPort(r - 1)
	}
	for si, s := range serviceNames() {
		if s == name {
			return c.cfg.servicePort(si, r-1)
		}
	}
	return 0
}

func serving(ctx context.Context, port int, kind string) bool {
	if kind == "gateway" {
		res, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/readyz", port))
		if err != nil {
			return false
		}
		_ = res.Body.Close()
		return res.StatusCode == http.StatusOK
	}
	cc, err := grpc.NewClient(fmt.Sprintf("127.0.0.1:%d", port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return false
	}
	defer cc.Close()
	cctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	res, err := healthpb.NewHealthClient(cc).Check(cctx, &healthpb.HealthCheckRequest{})
	return err == nil && res.GetStatus() == healthpb.HealthCheckResponse_SERVING
}

// killPrimary loses the PostgreSQL primary's node: Patroni and the server, both SIGKILLed.
// Failover time: from the kill until another node says it is the primary, and until a
// write through the services' multi-host URL succeeds.
func (c *cluster) killPrimary(ctx context.Context, rep *report, log *slog.Logger) error {
	old := c.primary(ctx)
	if old < 0 {
		return errors.New("no primary to kill")
	}
	p := c.proc("pg-" + strconv.Itoa(old+1))
	// The node stays down until the failover is over, then comes back as a replica.
	p.Hold()
	defer p.Release()
	exited := p.Exited()
	t0 := time.Now()
	if pm := postmasterPid(c.cfg, old); pm > 0 {
		_ = syscall.Kill(pm, syscall.SIGKILL)
	}
	_ = p.Signal(syscall.SIGKILL)
	<-exited
	rep.mu.Lock()
	rep.kills["PostgreSQL primary (node)"]++
	rep.mu.Unlock()
	var promoted time.Duration
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if n := c.primary(ctx); n >= 0 && n != old {
			promoted = time.Since(t0)
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no new primary within 2 minutes of losing pg-%d", old+1)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var writable time.Duration
	for {
		wctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		conn, err := pgx.Connect(wctx, c.dbURL("postgres"))
		if err == nil {
			_, err = conn.Exec(wctx, "CREATE TEMP TABLE soak_probe (x int)")
			_ = conn.Close(wctx)
		}
		cancel()
		if err == nil {
			writable = time.Since(t0)
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("no writable primary within 2 minutes: %w", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	log.Info("PostgreSQL failover", "lost", old+1, "promoted after", promoted, "writable after", writable)
	rep.mu.Lock()
	rep.failovers = append(rep.failovers, fmt.Sprintf("PostgreSQL primary pg-%d lost: standby promoted after %v, writes through the multi-host URL after %v", old+1, promoted.Round(10*time.Millisecond), writable.Round(10*time.Millisecond)))
	rep.mu.Unlock()
	return nil
}

func postmasterPid(cfg settings, i int) int {
	b, err := os.ReadFile(fmt.Sprintf("%s/pg/data%d/postmaster.pid", cfg.dir, i+1))
	if err != nil {
		return 0
	}
	first, _, _ := strings.Cut(string(b), "\n")
	n, _ := strconv.Atoi(strings.TrimSpace(first))
	return n
}

// killStreamLeader SIGKILLs the NATS node that leads stream, and times until the stream has a
// new leader.
func (c *cluster) killStreamLeader(ctx context.Context, rep *report, stream string, log *slog.Logger) error {
	nc, js, err := natsx.Connect(c.natsURL(), "soak", slog.New(slog.DiscardHandler))
	if err != nil {
		return err
	}
	defer nc.Close()
	leader := func() string {
		ictx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		s, err := js.Stream(ictx, stream)
		if err != nil || s.CachedInfo().Cluster == nil {
			return ""
		}
		return s.CachedInfo().Cluster.Leader
	}
	old := leader()
	if !strings.HasPrefix(old, "n") {
		return fmt.Errorf("stream %s has no leader (%q)", stream, old)
	}
	p := c.proc("nats-" + strings.TrimPrefix(old, "n"))
	// The node stays down until another leads the stream (started again at once, it could
	// take the lead back), then rejoins and catches up.
	p.Hold()
	defer p.Release()
	exited := p.Exited()
	t0 := time.Now()
	if err := p.Signal(syscall.SIGKILL); err != nil {
		return err
	}
	<-exited
	rep.mu.Lock()
	rep.kills["NATS node (stream leader)"]++
	rep.mu.Unlock()
	deadline := time.Now().Add(time.Minute)
	for {
		if l := leader(); l != "" && l != old {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("stream %s: no new leader within a minute of losing %s", stream, old)
		}
		time.Sleep(100 * time.Millisecond)
	}
	d := time.Since(t0)
	log.Info("NATS stream leader lost", "node", old, "new leader after", d)
	rep.mu.Lock()
	rep.failovers = append(rep.failovers, fmt.Sprintf("NATS node %s (leader of %s) lost: new stream leader after %v", old, stream, d.Round(10*time.Millisecond)))
	rep.mu.Unlock()
	return nil
}

// verify waits for the chain to settle, then checks it.
func (c *cluster) verify(ctx context.Context, cl *client, coord string, rep *report, log *slog.Logger) {
	settle := time.Now().Add(2 * time.Minute)
	for _, ch := range rep.approved {
		var why string
		for {
			why = ""
			cs, err := cl.call(ctx, "GET", "/v1/contracts?matchId="+ch.match, coord, nil, nil)
			if err != nil {
				why = err.Error()
			} else if n := len(list(cs, "contracts")); n != 1 {
				why = fmt.Sprintf("%d contracts", n)
			}
			if why == "" {
				if r, err := cl.call(ctx, "GET", "/v1/rooms/"+ch.room, coord, nil, nil); err != nil || str(r, "status") != "ROOM_STATUS_RESERVED" {
					why = fmt.Sprintf("room %s is %s", ch.room, str(r, "status"))
				}
			}
			if why == "" {
				apps, err := cl.call(ctx, "GET", "/v1/students/"+ch.student+"/applications", coord, nil, nil)
				as := list(apps, "applications")
				if err != nil || len(as) != 1 || as[0]["status"] != "APPLICATION_STATUS_MATCHED" {
					why = fmt.Sprintf("student %s's application is not MATCHED: %v", ch.student, as)
				}
			}
			if why == "" || time.Now().After(settle) {
				break
			}
			time.Sleep(500 * time.Millisecond)
		}
		if why != "" {
			rep.problem("match %s: %s", ch.match, why)
		} else {
			rep.contractsOK++
		}
	}
	// In the databases: no match with two contracts, no outbox row left behind.
	for time.Now().Before(settle) {
		pending := 0
		for _, svc := range serviceNames() {
			n, err := c.count(ctx, "cohabit_"+svc, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
			if err != nil {
				rep.problem("outbox of %s: %v", svc, err)
				n = 0
			}
			rep.outboxPending[svc] = n
			pending += n
		}
		if pending == 0 {
			break
		}
		time.Sleep(time.Second)
	}
	for svc, n := range rep.outboxPending {
		if n > 0 {
			rep.problem("%d outbox rows of %s still unpublished", n, svc)
		}
	}
	dup, err := c.count(ctx, "cohabit_contracts", "SELECT count(*) FROM (SELECT match_id FROM contracts GROUP BY match_id HAVING count(*) > 1) d")
	if err != nil {
		rep.problem("contracts: %v", err)
	}
	rep.duplicateApplied = dup
	if dup > 0 {
		rep.problem("%d matches have more than one contract", dup)
	}
	// Every durable consumer has caught up: nothing pending, nothing awaiting an ack.
	nc, js, err := natsx.Connect(c.natsURL(), "soak-verify", slog.New(slog.DiscardHandler))
	if err != nil {
		rep.problem("nats: %v", err)
		return
	}
	defer nc.Close()
	for {
		var undrained []string
		for _, st := range all.Streams() {
			stream := st.Name
			s, err := js.Stream(ctx, stream)
			if err != nil {
				continue
			}
			lister := s.ListConsumers(ctx)
			for ci := range lister.Info() {
				if ci.NumPending > 0 || ci.NumAckPending > 0 {
					undrained = append(undrained, fmt.Sprintf("%s/%s (pending %d, unacknowledged %d)", stream, ci.Name, ci.NumPending, ci.NumAckPending))
				}
			}
		}
		rep.undrained = undrained
		if len(undrained) == 0 || time.Now().After(settle) {
			break
		}
		time.Sleep(time.Second)
	}
	for _, u := range rep.undrained {
		rep.problem("consumer not drained: %s", u)
	}
}

func (c *cluster) count(ctx context.Context, db, query string) (int, error) {
	cctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(cctx, c.dbURL(db))
	if err != nil {
		return 0, err
	}
	defer conn.Close(cctx)
	var n int
	err = conn.QueryRow(cctx, query).Scan(&n)
	return n, err
}

// client talks to the two gateways in turn, as a load balancer would, and retries what
// failed (counting each failure by kind).
type client struct {
	c    *cluster
	rep  *report
	http *http.Client
	next atomic.Int64
}

// errRefused is a 4xx on a first attempt: the request itself is wrong.
var errRefused = errors.New("refused")

// attempt is one request; code 0 is a transport error.
func (cl *client) attempt(ctx context.Context, method, path, token string, body any) (int, map[string]any, error) {
	base := fmt.Sprintf("http://127.0.0.1:%d", cl.c.cfg.gatewayPort(int(cl.next.Add(1))%copies))
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	cl.rep.requests.Add(1)
	res, err := cl.http.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	out := map[string]any{}
	_ = json.Unmarshal(raw, &out)
	out["_raw"] = string(raw)
	return res.StatusCode, out, nil
}

// call retries until a 2xx. A 5xx, 429 or transport error is retried (for 90 s); a 4xx is
// final, except after an attempt whose outcome was unknown, when applied (if not nil) says
// whether the first attempt went through after all.
func (cl *client) call(ctx context.Context, method, path, token string, body any, applied func() bool) (map[string]any, error) {
	deadline := time.Now().Add(90 * time.Second)
	uncertain := false
	wait := 200 * time.Millisecond
	pattern := method + " " + shape(path)
	for {
		code, out, err := cl.attempt(ctx, method, path, token, body)
		switch {
		case err == nil && code < 300:
			return out, nil
		case ctx.Err() != nil:
			return nil, ctx.Err()
		case err != nil:
			cl.rep.errorSeen("transport error (" + errKind(err) + ")")
			uncertain = true
		case code >= 500 || code == 429:
			cl.rep.errorSeen(fmt.Sprintf("HTTP %d %s", code, pattern))
			uncertain = true
		default:
			if uncertain && applied != nil && applied() {
				cl.rep.errorSeen(fmt.Sprintf("HTTP %d %s after a retry (it had gone through)", code, pattern))
				return out, nil
			}
			return nil, fmt.Errorf("%w: %s: HTTP %d %v", errRefused, pattern, code, out["_raw"])
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: still failing after 90 s (HTTP %d, %v)", pattern, code, err)
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}

func errKind(err error) string {
	s := err.Error()
	for _, k := range []string{"connection refused", "connection reset", "EOF", "timeout", "deadline"} {
		if strings.Contains(s, k) {
			return k
		}
	}
	return "other"
}

// shape replaces ids in a path by {id}, so that errors group by route.
func shape(path string) string {
	path, _, _ = strings.Cut(path, "?")
	parts := strings.Split(path, "/")
	for i, p := range parts {
		id, verb, hasVerb := strings.Cut(p, ":")
		if len(id) > 16 {
			parts[i] = "{id}"
			if hasVerb {
				parts[i] += ":" + verb
			}
		}
	}
	return strings.Join(parts, "/")
}

func (cl *client) login(ctx context.Context, email, password string) (string, error) {
	out, err := cl.call(ctx, "POST", "/v1/auth/login", "", map[string]any{"email": email, "password": password}, nil)
	if err != nil {
		return "", err
	}
	return str(out, "accessToken"), nil
}

// chain walks one room and one student to an approved match.
func (cl *client) chain(ctx context.Context, coord, programme, tag string) (chainResult, error) {
	fail := func(step string, err error) (chainResult, error) {
		return chainResult{}, fmt.Errorf("%s: %s: %w", tag, step, err)
	}
	get := func(path string) map[string]any {
		out, _ := cl.call(ctx, "GET", path, coord, nil, nil)
		return out
	}
	h, err := cl.call(ctx, "POST", "/v1/hosts", coord, hostBody(), nil)
	if err != nil {
		return fail("register host", err)
	}
	hostID := str(h, "id")
	if _, err := cl.call(ctx, "POST", "/v1/hosts/"+hostID+":verify", coord, map[string]any{}, func() bool {
		return str(get("/v1/hosts/"+hostID), "status") == "HOST_STATUS_VERIFIED"
	}); err != nil {
		return fail("verify host", err)
	}
	r, err := cl.call(ctx, "POST", "/v1/hosts/"+hostID+"/rooms", coord, roomBody(), nil)
	if err != nil {
		return fail("add room", err)
	}
	roomID := str(r, "id")
	if _, err := cl.call(ctx, "POST", "/v1/rooms/"+roomID+":publish", coord, map[string]any{}, func() bool {
		return str(get("/v1/rooms/"+roomID), "status") == "ROOM_STATUS_PUBLISHED"
	}); err != nil {
		return fail("publish room", err)
	}
	email := tag + "@example.org"
	if _, err := cl.call(ctx, "POST", "/v1/auth/signup", "", map[string]any{"email": email, "password": "student-password-1", "role": "ROLE_STUDENT", "programmeId": programme}, func() bool { return true }); err != nil {
		return fail("sign up", err)
	}
	tok, err := cl.login(ctx, email, "student-password-1")
	if err != nil {
		return fail("log in", err)
	}
	// A profile created by an attempt whose answer was lost: /v1/me links it (through events).
	linked := func() string {
		for range 60 {
			if me, err := cl.call(ctx, "GET", "/v1/me", tok, nil, nil); err == nil && str(me, "studentId") != "" {
				return str(me, "studentId")
			}
			time.Sleep(500 * time.Millisecond)
		}
		return ""
	}
	st, err := cl.call(ctx, "POST", "/v1/students", tok, studentBody(email), func() bool { return linked() != "" })
	if err != nil {
		return fail("student profile", err)
	}
	studentID := str(st, "id")
	if studentID == "" || str(st, "code") != "" {
		studentID = linked()
	}
	if _, err := cl.call(ctx, "POST", "/v1/students/"+studentID+":verify", coord, map[string]any{}, func() bool {
		return str(get("/v1/students/"+studentID), "status") == "STUDENT_STATUS_VERIFIED"
	}); err != nil {
		return fail("verify student", err)
	}
	if _, err := cl.call(ctx, "POST", "/v1/students/"+studentID+"/applications", tok, map[string]any{"budgetCents": 20000, "moveInDate": "2027-01-15", "moveOutDate": "2027-06-30"}, func() bool {
		return len(list(get("/v1/students/"+studentID+"/applications"), "applications")) > 0
	}); err != nil {
		return fail("apply", err)
	}
	// The room and the application reach matching through NATS.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		code, out, _ := cl.attempt(ctx, "GET", "/v1/compatibility?roomId="+roomID+"&studentId="+studentID, coord, nil)
		if code == 200 && out != nil {
			break
		}
		if time.Now().After(deadline) {
			return fail("room and application in the matching pool", fmt.Errorf("HTTP %d after 2 minutes", code))
		}
		if ctx.Err() != nil {
			return fail("wait", ctx.Err())
		}
		time.Sleep(300 * time.Millisecond)
	}
	findMatch := func() string {
		ms := list(get("/v1/matches?roomId="+roomID+"&studentId="+studentID), "matches")
		if len(ms) == 1 {
			id, _ := ms[0]["id"].(string)
			return id
		}
		return ""
	}
	m, err := cl.call(ctx, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": studentID}, func() bool { return findMatch() != "" })
	if err != nil {
		return fail("propose", err)
	}
	matchID := str(m, "id")
	if matchID == "" {
		matchID = findMatch()
	}
	status := func() string { return str(get("/v1/matches/"+matchID), "status") }
	if _, err := cl.call(ctx, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)}, func() bool { return true }); err != nil {
		return fail("schedule meeting", err)
	}
	if _, err := cl.call(ctx, "POST", "/v1/matches/"+matchID+":accept", tok, map[string]any{}, func() bool { return true }); err != nil {
		return fail("student accepts", err)
	}
	if _, err := cl.call(ctx, "POST", "/v1/matches/"+matchID+":accept", coord, map[string]any{"party": "PARTY_HOST"}, func() bool {
		return status() == "MATCH_STATUS_ACCEPTED"
	}); err != nil {
		return fail("host accepts", err)
	}
	// The desk asks for each party's documents (through NATS, one by one); the coordinator
	// verifies those there are, and again when the approval names one still missing.
	verifyDocs := func() error {
		for _, owner := range []string{hostID, studentID} {
			var docs []map[string]any
			deadline := time.Now().Add(2 * time.Minute)
			for len(docs) == 0 {
				docs = list(get("/v1/documents?ownerId="+owner), "documents")
				if len(docs) > 0 {
					break
				}
				if time.Now().After(deadline) || ctx.Err() != nil {
					return fmt.Errorf("no document asked for %s", owner)
				}
				time.Sleep(300 * time.Millisecond)
			}
			for _, d := range docs {
				id, _ := d["id"].(string)
				if d["status"] == "DOCUMENT_STATUS_VERIFIED" {
					continue
				}
				if _, err := cl.call(ctx, "POST", "/v1/documents/"+id+":verify", coord, map[string]any{"seenInPerson": true}, func() bool {
					return str(get("/v1/documents/"+id), "status") == "DOCUMENT_STATUS_VERIFIED"
				}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	deadline = time.Now().Add(2 * time.Minute)
	for {
		if err := verifyDocs(); err != nil {
			return fail("verify documents", err)
		}
		_, err := cl.call(ctx, "POST", "/v1/matches/"+matchID+":approve", coord, map[string]any{}, func() bool {
			return status() == "MATCH_STATUS_APPROVED"
		})
		if err == nil {
			break
		}
		if !strings.Contains(err.Error(), "DOCUMENTS_INCOMPLETE") || time.Now().After(deadline) {
			return fail("approve", err)
		}
		time.Sleep(300 * time.Millisecond)
	}
	return chainResult{match: matchID, room: roomID, student: studentID}, nil
}

func str(m map[string]any, key string) string {
	v, _ := m[key].(string)
	return v
}

func list(m map[string]any, key string) []map[string]any {
	raw, _ := m[key].([]any)
	var out []map[string]any
	for _, r := range raw {
		if o, ok := r.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func hostBody() map[string]any {
	return map[string]any{
		"displayName": "Jeanne Martin", "birthDate": "1948-03-12", "phone": "+33 4 78 00 00 00",
		"address":   map[string]any{"line1": "3 rue des Lilas", "postcode": "69003", "city": "Lyon", "lat": 45.76, "lng": 4.85},
		"languages": []string{"fr"}, "servicesWanted": []string{"SERVICE_COMPANY", "SERVICE_MEALS"},
		"hoursWantedPerWeek": 3, "nightsWantedPerWeek": 4, "rhythm": "RHYTHM_EARLY",
		"assisted": true, "consentRecorded": true,
	}
}

func roomBody() map[string]any {
	return map[string]any{
		"title": "Chambre sur jardin", "areaM2": 12, "furnished": true, "monthlyContributionCents": 15000,
		"sharedSpaces": []string{"cuisine", "salon"}, "availableFrom": "2027-01-01",
	}
}

func studentBody(email string) map[string]any {
	return map[string]any{
		"displayName": "Léa Dubois", "birthDate": "2004-05-06", "email": email, "phone": "+33 6 12 34 56 78",
		"institution": "Université Lyon 2", "studies": "Sociologie",
		"studyPlace":   map[string]any{"lat": 45.749, "lng": 4.836, "city": "Lyon"},
		"maxCommuteKm": 8, "languages": []string{"fr", "en"}, "acceptsPets": true,
		"gender": "GENDER_FEMALE", "servicesOffered": []string{"SERVICE_COMPANY", "SERVICE_DIGITAL_HELP"},
		"hoursOfferedPerWeek": 3, "nightsPresentPerWeek": 4, "rhythm": "RHYTHM_EARLY", "motivation": "J'aime la compagnie.",
	}
}

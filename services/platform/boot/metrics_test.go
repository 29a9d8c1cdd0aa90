package boot_test

import (
	"bufio"
	"context"
	"hash/fnv"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/protobuf/types/known/wrapperspb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/config"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// TestMetricsOfARunningService scrapes a service that boot runs, on its metrics listener:
// an RPC is counted by method and code once called; the outbox's backlog goes up while the
// relay cannot publish (the test holds its lock) and back to zero once it can; a consumer's
// lag and unacknowledged messages show while its handler is held, and drain; readiness is 1;
// the pool's figures and the Go runtime's are there. Cohabit's series carry the service.
func TestMetricsOfARunningService(t *testing.T) {
	t.Parallel()
	cfg, _ := fixture(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	// The relay's lock, held here: events stay in the outbox until it is released.
	lock, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close(context.Background())
	h := fnv.New64a()
	_, _ = h.Write([]byte("outbox-relay:metricstest"))
	if _, err := lock.Exec(ctx, `SELECT pg_advisory_lock($1)`, int64(h.Sum64())); err != nil {
		t.Fatal(err)
	}

	release := make(chan struct{})
	s := boot.Service{
		Name:    "metricstest",
		Stream:  natsx.Stream{Name: "METRICSTEST", Subjects: []string{"cohabit.metricstest.>"}},
		Migrate: migrate,
		Policy:  grpcx.Policy{},
		Build: func(ctx context.Context, d boot.Deps) (boot.Parts, error) {
			err := pg.InTx(ctx, d.Pool, func(tx pgx.Tx) error {
				for i := range 3 {
					e, err := event.New("cohabit.metricstest.thing.done", "p1", time.Now(), wrapperspb.String(strconv.Itoa(i)))
					if err != nil {
						return err
					}
					if err := outbox.Append(ctx, tx, e); err != nil {
						return err
					}
				}
				return nil
			})
			c := &natsx.Consumer{Stream: "METRICSTEST", Durable: "self-metricstest", Log: d.Log,
				Handle: func(ctx context.Context, _ *eventsv1.Envelope) error {
					select {
					case <-release:
						return nil
					case <-ctx.Done():
						return ctx.Err()
					}
				}}
			return boot.Parts{Consumers: []*natsx.Consumer{c}}, err
		},
	}
	metricsAddr := make(chan net.Addr, 1)
	conn := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		cfg.Ready = ready
		cfg.MetricsReady = func(a net.Addr) { metricsAddr <- a }
		return boot.Run(ctx, s, cfg, logging.Discard())
	})
	url := "http://" + (<-metricsAddr).String() + "/metrics"

	for range 2 {
		if _, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := grpc_health_v1.NewHealthClient(conn).Check(ctx, &grpc_health_v1.HealthCheckRequest{Service: "no.such.Service"}); err == nil {
		t.Fatal("health of an unknown service answered")
	}
	m := scrape(t, url)
	rpc := `grpc_server_handling_seconds_count{grpc_code="%s",grpc_method="Check",grpc_service="grpc.health.v1.Health",service="metricstest"}`
	if got := m[strings.Replace(rpc, "%s", "OK", 1)]; got != 2 {
		t.Errorf("Check calls answered OK: %v, want 2", got)
	}
	if got := m[strings.Replace(rpc, "%s", "NotFound", 1)]; got != 1 {
		t.Errorf("Check calls answered NotFound: %v, want 1", got)
	}
	for _, series := range []string{`cohabit_db_pool_max_connections{service="metricstest"}`, "go_goroutines", "process_resident_memory_bytes"} {
		if m[series] <= 0 {
			t.Errorf("%s = %v, want > 0", series, m[series])
		}
	}
	if got := m[`cohabit_db_pool_acquires_total{service="metricstest"}`]; got < 1 {
		t.Errorf("cohabit_db_pool_acquires_total = %v, want the acquisitions made", got)
	}

	waitFor(ctx, t, url, "ready", func(m map[string]float64) bool { return m[`cohabit_ready{service="metricstest"}`] == 1 })

	// Up: three events wait, the oldest ages.
	const (
		backlog = `cohabit_outbox_unpublished_events{service="metricstest"}`
		oldest  = `cohabit_outbox_oldest_unpublished_age_seconds{service="metricstest"}`
	)
	time.Sleep(20 * time.Millisecond)
	m = scrape(t, url)
	if got := m[backlog]; got != 3 {
		t.Errorf("outbox backlog while the relay is held: %v, want 3", got)
	}
	if got := m[oldest]; got <= 0 {
		t.Errorf("oldest unpublished event's age: %v, want > 0", got)
	}

	// Down: the relay takes its lock (it tries every 2 s) and publishes; the consumer, held,
	// has them all to handle.
	if _, err := lock.Exec(ctx, `SELECT pg_advisory_unlock_all()`); err != nil {
		t.Fatal(err)
	}
	const (
		pending    = `cohabit_consumer_pending_messages{durable="self-metricstest",service="metricstest",stream="METRICSTEST"}`
		ackPending = `cohabit_consumer_ack_pending_messages{durable="self-metricstest",service="metricstest",stream="METRICSTEST"}`
		infoOK     = `cohabit_consumer_info_ok{durable="self-metricstest",service="metricstest",stream="METRICSTEST"}`
	)
	m = waitFor(ctx, t, url, "the outbox published and the consumer behind by 3", func(m map[string]float64) bool {
		return m[backlog] == 0 && m[pending]+m[ackPending] == 3
	})
	if m[infoOK] != 1 || m[oldest] != 0 {
		t.Errorf("consumer info read: %v, oldest age: %v; want 1 and 0", m[infoOK], m[oldest])
	}
	close(release)
	waitFor(ctx, t, url, "the consumer caught up", func(m map[string]float64) bool {
		_, seen := m[pending]
		return seen && m[pending] == 0 && m[ackPending] == 0
	})
}

// waitFor scrapes url until ok holds, failing the test when ctx ends first.
func waitFor(ctx context.Context, t *testing.T, url, what string, ok func(map[string]float64) bool) map[string]float64 {
	t.Helper()
	for {
		m := scrape(t, url)
		if ok(m) {
			return m
		}
		select {
		case <-ctx.Done():
			t.Fatalf("%s: not seen; last scrape: %v", what, m)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// scrape reads url's metrics in the text format: each sample by its series as written
// ("name{label=\"v\",…}", labels in Prometheus' order).
func scrape(t *testing.T, url string) map[string]float64 {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(res.Body)
		t.Fatalf("GET %s: %s\n%s", url, res.Status, b)
	}
	m := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metrics line %q: %v", line, err)
		}
		m[line[:i]] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestMetricsAddrFromTheEnvironment: each service reads its metrics listener under its own
// name; unset, it stays empty (a free loopback port, Run decides).
func TestMetricsAddrFromTheEnvironment(t *testing.T) {
	t.Parallel()
	env := map[string]string{"COHABIT_DESK_METRICS_ADDR": ":9190", "COHABIT_HOSTS_METRICS_ADDR": ":1"}
	e := config.New(func(k string) string { return env[k] })
	if got := boot.LoadConfig(e, "desk", "localhost:9107").MetricsAddr; got != ":9190" {
		t.Errorf("desk's metrics address: %q, want :9190", got)
	}
	if got := boot.LoadConfig(e, "figures", "localhost:9108").MetricsAddr; got != "" {
		t.Errorf("figures' metrics address, unset: %q, want empty", got)
	}
}

package metrics

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/cohabit/cohabit/services/platform/outbox"
)

// scrapeTimeout bounds what a collector asks the database or NATS during one scrape.
const scrapeTimeout = 3 * time.Second

// Outbox reports the service's outbox on every scrape (outbox.Backlog):
// cohabit_outbox_unpublished_events and cohabit_outbox_oldest_unpublished_age_seconds.
func Outbox(pool *pgxpool.Pool) prometheus.Collector { return &outboxCollector{pool: pool} }

var (
	outboxBacklogDesc = prometheus.NewDesc("cohabit_outbox_unpublished_events",
		"Events written in the outbox and not yet published to JetStream.", nil, nil)
	outboxAgeDesc = prometheus.NewDesc("cohabit_outbox_oldest_unpublished_age_seconds",
		"How long the oldest unpublished event has waited in the outbox (0 when none).", nil, nil)
)

type outboxCollector struct{ pool *pgxpool.Pool }

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxBacklogDesc
	ch <- outboxAgeDesc
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	n, age, err := outbox.Backlog(ctx, c.pool)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxBacklogDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxBacklogDesc, prometheus.GaugeValue, float64(n))
	ch <- prometheus.MustNewConstMetric(outboxAgeDesc, prometheus.GaugeValue, age.Seconds())
}

// Durable names one durable consumer of a stream.
type Durable struct{ Stream, Name string }

// Consumers reports each durable consumer's state as JetStream keeps it, read on every
// scrape (one consumer-info request each): the messages not delivered yet (its lag), those
// delivered and not acknowledged, and those being redelivered. Every replica of a service
// reports the same durable: take the max over replicas, not the sum.
func Consumers(js jetstream.JetStream, durables []Durable) prometheus.Collector {
	return &consumerCollector{js: js, durables: durables}
}

var (
	consumerLabels      = []string{"stream", "durable"}
	consumerPendingDesc = prometheus.NewDesc("cohabit_consumer_pending_messages",
		"Messages of the stream that match the consumer and are not delivered yet (its lag).", consumerLabels, nil)
	consumerAckPendingDesc = prometheus.NewDesc("cohabit_consumer_ack_pending_messages",
		"Messages delivered to the consumer and not acknowledged yet.", consumerLabels, nil)
	consumerRedeliveredDesc = prometheus.NewDesc("cohabit_consumer_redelivered_messages",
		"Messages delivered more than once and not acknowledged yet (a handler failing, or too slow for its ack wait).", consumerLabels, nil)
	consumerInfoOKDesc = prometheus.NewDesc("cohabit_consumer_info_ok",
		"1 when the consumer's state could be read from JetStream at this scrape, 0 otherwise.", consumerLabels, nil)
)

type consumerCollector struct {
	js       jetstream.JetStream
	durables []Durable
}

func (c *consumerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- consumerPendingDesc
	ch <- consumerAckPendingDesc
	ch <- consumerRedeliveredDesc
	ch <- consumerInfoOKDesc
}

func (c *consumerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	for _, d := range c.durables {
		info, err := c.info(ctx, d)
		if err != nil {
			ch <- prometheus.MustNewConstMetric(consumerInfoOKDesc, prometheus.GaugeValue, 0, d.Stream, d.Name)
			continue
		}
		ch <- prometheus.MustNewConstMetric(consumerInfoOKDesc, prometheus.GaugeValue, 1, d.Stream, d.Name)
		ch <- prometheus.MustNewConstMetric(consumerPendingDesc, prometheus.GaugeValue, float64(info.NumPending), d.Stream, d.Name)
		ch <- prometheus.MustNewConstMetric(consumerAckPendingDesc, prometheus.GaugeValue, float64(info.NumAckPending), d.Stream, d.Name)
		ch <- prometheus.MustNewConstMetric(consumerRedeliveredDesc, prometheus.GaugeValue, float64(info.NumRedelivered), d.Stream, d.Name)
	}
}

// info reads d's state: js.Consumer fetches it once, CachedInfo returns that fetch.
func (c *consumerCollector) info(ctx context.Context, d Durable) (*jetstream.ConsumerInfo, error) {
	cons, err := c.js.Consumer(ctx, d.Stream, d.Name)
	if err != nil {
		return nil, fmt.Errorf("consumer %s on %s: %w", d.Name, d.Stream, err)
	}
	return cons.CachedInfo(), nil
}

// Pool reports a database pool's figures (pgxpool.Stat) on every scrape, under
// cohabit_db_pool_*: connections by state, the bound, and the acquisitions that had to wait.
func Pool(pool *pgxpool.Pool) prometheus.Collector { return &poolCollector{pool: pool} }

func poolDesc(name, help string) *prometheus.Desc {
	return prometheus.NewDesc("cohabit_db_pool_"+name, help, nil, nil)
}

var (
	poolAcquired      = poolDesc("acquired_connections", "Connections in use.")
	poolIdle          = poolDesc("idle_connections", "Connections open and idle.")
	poolTotal         = poolDesc("total_connections", "Connections open, constructing ones included.")
	poolMax           = poolDesc("max_connections", "The pool's bound.")
	poolAcquires      = poolDesc("acquires_total", "Connections acquired from the pool.")
	poolEmptyAcquires = poolDesc("empty_acquires_total", "Acquisitions that had to wait: no idle connection was there.")
	poolCanceled      = poolDesc("canceled_acquires_total", "Acquisitions given up (their context ended) while waiting.")
	poolAcquireWait   = poolDesc("acquire_seconds_total", "Time spent acquiring connections.")
)

type poolCollector struct{ pool *pgxpool.Pool }

func (c *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolAcquired, poolIdle, poolTotal, poolMax, poolAcquires, poolEmptyAcquires, poolCanceled, poolAcquireWait} {
		ch <- d
	}
}

func (c *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v float64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, v)
	}
	gauge(poolAcquired, float64(s.AcquiredConns()))
	gauge(poolIdle, float64(s.IdleConns()))
	gauge(poolTotal, float64(s.TotalConns()))
	gauge(poolMax, float64(s.MaxConns()))
	counter(poolAcquires, float64(s.AcquireCount()))
	counter(poolEmptyAcquires, float64(s.EmptyAcquireCount()))
	counter(poolCanceled, float64(s.CanceledAcquireCount()))
	counter(poolAcquireWait, s.AcquireDuration().Seconds())
}

// Package outbox makes events as durable as the changes they describe: Append writes them in
// the caller's transaction, and the Relay publishes them to JetStream afterwards, at least
// once, with the event id as Nats-Msg-Id so that JetStream drops a republished duplicate.
package outbox

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"go.opentelemetry.io/otel/propagation"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/tracing"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the outbox table's schema, to apply with pg.Migrate before a service's own.
func Migrations() pg.Migrations {
	return pg.Embedded("outbox_schema_version", migrations)
}

// channel is the NOTIFY channel that wakes the relay.
const channel = "outbox"

// Append stores events in tx; they are published once tx commits.
func Append(ctx context.Context, tx pgx.Tx, events ...*eventsv1.Envelope) error {
	if len(events) == 0 {
		return nil
	}
	parent, state := traceContext(ctx)
	for _, e := range events {
		data, err := proto.Marshal(e)
		if err != nil {
			return fmt.Errorf("marshal event %s: %w", e.GetType(), err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (id, subject, envelope, traceparent, tracestate) VALUES ($1, $2, $3, $4, $5)`,
			e.GetId(), e.GetType(), data, parent, state); err != nil {
			return fmt.Errorf("append event %s %s: %w", e.GetType(), e.GetId(), err)
		}
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, channel); err != nil {
		return fmt.Errorf("notify outbox: %w", err)
	}
	return nil
}

// traceContext is the W3C trace context of ctx's span (the RPC or the consumed event that
// writes the events), kept with each row for the relay to publish; nil (NULL) outside a trace.
func traceContext(ctx context.Context) (parent, state *string) {
	c := propagation.MapCarrier{}
	tracing.Propagator.Inject(ctx, c)
	if v, ok := c["traceparent"]; ok {
		parent = &v
	}
	if v, ok := c["tracestate"]; ok && v != "" {
		state = &v
	}
	return parent, state
}

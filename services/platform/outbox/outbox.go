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

// Append stores events in tx; they are published once tx commits. All of them go in one
// INSERT, and on an AtCommit transaction (pg.InTx's) that INSERT is queued to travel with the
// COMMIT: appending costs no round trip of its own. Its failure (a duplicate event id) then
// rolls the transaction back and comes out of the commit. The relay's wake-up is the outbox's
// NOTIFY trigger (migration 00003), sent at commit.
func Append(ctx context.Context, tx pgx.Tx, events ...*eventsv1.Envelope) error {
	if len(events) == 0 {
		return nil
	}
	parent, state := traceContext(ctx)
	ids, subjects, data := make([]string, len(events)), make([]string, len(events)), make([][]byte, len(events))
	for i, e := range events {
		b, err := proto.Marshal(e)
		if err != nil {
			return fmt.Errorf("marshal event %s: %w", e.GetType(), err)
		}
		ids[i], subjects[i], data[i] = e.GetId(), e.GetType(), b
	}
	what := fmt.Sprintf("append event %s %s", subjects[0], ids[0])
	sql, args := insertOne, []any{ids[0], subjects[0], data[0], parent, state}
	if len(events) > 1 {
		what = fmt.Sprintf("append %d events from %s %s", len(events), subjects[0], ids[0])
		sql, args = insertMany, []any{ids, subjects, data, parent, state}
	}
	if q, ok := tx.(pg.AtCommit); ok {
		q.QueueAtCommit(what, sql, args...)
		return nil
	}
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// The outbox's INSERTs: several events in one statement, in their order (seq follows the
// arrays' order), with the writer's trace context on each row.
const (
	insertOne  = `INSERT INTO outbox (id, subject, envelope, traceparent, tracestate) VALUES ($1, $2, $3, $4, $5)`
	insertMany = `INSERT INTO outbox (id, subject, envelope, traceparent, tracestate)
		SELECT e.id, e.subject, e.envelope, $4::text, $5::text
		FROM unnest($1::uuid[], $2::text[], $3::bytea[]) WITH ORDINALITY AS e (id, subject, envelope, n)
		ORDER BY e.n`
)

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

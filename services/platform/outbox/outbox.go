// Package outbox makes events as durable as the changes they describe: Append writes them in
// the caller's transaction, and the Relay publishes them to JetStream afterwards, at least
// once, with the event id as Nats-Msg-Id so that JetStream drops a republished duplicate.
package outbox

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/pg"
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
	for _, e := range events {
		data, err := proto.Marshal(e)
		if err != nil {
			return fmt.Errorf("marshal event %s: %w", e.GetType(), err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (id, subject, envelope) VALUES ($1, $2, $3)`, e.GetId(), e.GetType(), data); err != nil {
			return fmt.Errorf("append event %s %s: %w", e.GetType(), e.GetId(), err)
		}
	}
	if _, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, channel); err != nil {
		return fmt.Errorf("notify outbox: %w", err)
	}
	return nil
}

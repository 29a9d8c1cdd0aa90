// Package inbox makes event handling idempotent: an event is handled at most once per
// consumer, because claiming it and applying its change commit together.
package inbox

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/pg"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the inbox table's schema, to apply with pg.Migrate.
func Migrations() pg.Migrations {
	return pg.Embedded("inbox_schema_version", migrations)
}

// Handle runs fn in a transaction that first claims (consumer, eventID). An event already
// claimed is skipped: Handle returns nil without calling fn. If fn fails, the claim rolls back
// with it, so a redelivery tries again.
func Handle(ctx context.Context, db pg.Beginner, consumer, eventID string, fn func(pgx.Tx) error) error {
	return pg.InTx(ctx, db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, consumer, eventID)
		if err != nil {
			return fmt.Errorf("claim event %s for %s: %w", eventID, consumer, err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return fn(tx)
	})
}

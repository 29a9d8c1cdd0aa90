// Package postgres is the identity service's store: programmes, accounts and sign-in attempts
// in PostgreSQL, with every event written to the outbox in the transaction of its change.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migrations is the identity service's own schema.
func Migrations() pg.Migrations {
	return pg.Embedded("identity_schema_version", migrationFiles)
}

// Sets are every migration set the service's database needs, in the order they apply.
func Sets() []pg.Migrations {
	return []pg.Migrations{outbox.Migrations(), inbox.Migrations(), Migrations(), erasure.Migrations()}
}

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error {
	if err := pg.Migrate(ctx, url, Sets()...); err != nil {
		return fmt.Errorf("migrate identity database: %w", err)
	}
	return nil
}

// Store reads and writes the service's records.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

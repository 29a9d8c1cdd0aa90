// Package postgres is the identity service's store: programmes, accounts and sign-in attempts
// in PostgreSQL, with every event written to the outbox in the transaction of its change.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/schema"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// dbSchema is the schema of the identity database: the platform's sets, then the service's own
// tables (schema.Service).
var dbSchema = schema.Service("identity_schema_version", migrationFiles)

// Migrations is the identity service's own schema.
func Migrations() pg.Migrations { return dbSchema.Own() }

// Sets are every migration set the service's database needs, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error {
	if err := dbSchema.Migrate(ctx, url); err != nil {
		return fmt.Errorf("migrate identity database: %w", err)
	}
	return nil
}

// Store reads and writes the service's records. A Store made by Within runs its
// transaction's writes (RecordRegistered, ErasePerson) in that transaction; they refuse to
// run outside one. The use cases of its own open their transactions themselves.
type Store struct {
	pool *pgxpool.Pool
	tx   pgx.Tx
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Within returns a store bound to tx, a transaction opened elsewhere: an event consumer's
// inbox transaction (platform/consume), so that the changes a use case makes for the event
// commit with its claim, or roll back with it for the redelivery to try again.
func (s *Store) Within(tx pgx.Tx) *Store { return &Store{pool: s.pool, tx: tx} }

// inTx is the transaction the store is bound to, or pg.ErrNoTx.
func (s *Store) inTx() (pgx.Tx, error) { return pg.Bound("identity store", s.tx) }

func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

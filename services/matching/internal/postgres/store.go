// Package postgres stores the matching pool, matches and allocation runs. Every change of a
// match is written with its events in one transaction (the outbox), under the match's row
// lock; the one-accepted-match-per-room-and-student invariant is held by unique partial
// indexes, whose violation is a lost race (Aborted).
package postgres

import (
	"context"
	"embed"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/schema"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dbSchema is the schema of the matching database: the platform's sets with the copy of the
// programmes' settings, then the service's own tables, then the documents' tables
// (schema.Service).
var dbSchema = schema.Service("matching_schema_version", migrations, schema.Programmes(), schema.After(documentSet))

// Sets are the migration sets of the matching database, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error { return dbSchema.Migrate(ctx, url) }

// dbtx is what queries run on: the database's connections, or a transaction.
type dbtx interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Store reads and writes the matching database. A Store made by InTx (or handed to an update
// callback) runs every query in that transaction.
type Store struct {
	conns *pgxpool.Pool
	db    dbtx
	tx    pgx.Tx
}

// New returns a store over the database's connections.
func New(conns *pgxpool.Pool) *Store { return &Store{conns: conns, db: conns} }

// InTx runs fn with a store bound to one transaction, committed when fn returns nil.
func (s *Store) InTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.tx != nil {
		return fn(s)
	}
	return pg.InTx(ctx, s.conns, func(tx pgx.Tx) error { return fn(s.Within(tx)) })
}

// Within returns a store bound to tx, a transaction opened elsewhere: an event consumer's
// inbox transaction, so that the changes a use case makes for the event commit with its claim
// (or roll back with it, for the redelivery to try again).
func (s *Store) Within(tx pgx.Tx) *Store { return &Store{conns: s.conns, db: tx, tx: tx} }

// ErrNoTransaction refuses to write events from a store bound to no transaction (InTx,
// Within): events written apart from the change they tell of could be published for a change
// that rolled back, or lost for one that committed.
var ErrNoTransaction = errors.New("outbox append outside a transaction: use the store of InTx or Within")

// Append writes events to the outbox of the store's transaction; ErrNoTransaction without one.
func (s *Store) Append(ctx context.Context, events ...*eventsv1.Envelope) error {
	if s.tx == nil {
		return ErrNoTransaction
	}
	return outbox.Append(ctx, s.tx, events...)
}

// Programme returns the copy of a programme's settings, and false when none arrived yet.
func (s *Store) Programme(ctx context.Context, id string) (*identityv1.ProgrammeSettings, bool, error) {
	return programmes.Get(ctx, s.db, id)
}

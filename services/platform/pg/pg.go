// Package pg opens PostgreSQL pools, runs transactions, and applies embedded migrations.
package pg

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Open returns a pool on url after checking that the server answers.
func Open(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open pool: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database %s@%s/%s: %w", cfg.ConnConfig.User, cfg.ConnConfig.Host, cfg.ConnConfig.Database, err)
	}
	return pool, nil
}

// Beginner is what InTx needs: a pool, or a connection.
type Beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// InTx runs fn in a transaction, committing when it returns nil and rolling back otherwise.
// On a pool or a connection the transaction is an AtCommit one: statements queued on it
// travel with COMMIT.
func InTx(ctx context.Context, db Beginner, fn func(pgx.Tx) error) error {
	tx, err := begin(ctx, db)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	if err := fn(tx); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique constraint violation, and of which
// constraint.
func IsUniqueViolation(err error) (string, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" {
		return pe.ConstraintName, true
	}
	return "", false
}

// IsUnavailable reports whether err says the database could not be reached or could not take
// the statement for now, rather than that the statement was wrong: no connection, a
// connection the server ended (a failover, a restart: SQLSTATE class 08, 57P01–57P03), a write
// sent to a standby (25006, the moment a primary is demoted), a cancelled statement (57014).
// A caller may try again a moment later; grpcx answers Unavailable for it, not Internal.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch {
		case strings.HasPrefix(pe.Code, "08"), pe.Code == "57P01", pe.Code == "57P02", pe.Code == "57P03", pe.Code == "25006", pe.Code == "57014":
			return true
		}
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) || pgconn.Timeout(err) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	// A connection found closed (the server went away between two statements).
	return strings.Contains(err.Error(), "conn closed") || strings.Contains(err.Error(), "closed pool")
}

// Migrations is one set of embedded goose SQL migrations with its own version table, so that
// the platform's tables (outbox, inbox) and a service's tables evolve independently.
type Migrations struct {
	Table string
	FS    fs.FS
}

// Migrate applies every set in order, under a PostgreSQL advisory lock so that replicas
// starting together do not race.
func Migrate(ctx context.Context, url string, sets ...Migrations) error {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return fmt.Errorf("open database for migrations: %w", err)
	}
	defer db.Close()
	for _, set := range sets {
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return fmt.Errorf("migration lock: %w", err)
		}
		p, err := goose.NewProvider(goose.DialectPostgres, db, set.FS,
			goose.WithTableName(set.Table), goose.WithSessionLocker(locker), goose.WithDisableGlobalRegistry(true))
		if err != nil {
			return fmt.Errorf("migrations %s: %w", set.Table, err)
		}
		if _, err := p.Up(ctx); err != nil {
			return fmt.Errorf("migrate %s: %w", set.Table, err)
		}
	}
	return nil
}

// the pgx database/sql driver is registered by stdlib's init; referenced here so the import
// is explicit about why it exists.
var _ = stdlib.GetDefaultDriver

// Embedded is the migration set under the "migrations" folder of fsys (a package's
// `//go:embed migrations/*.sql`), tracked in its own version table.
func Embedded(table string, fsys fs.FS) Migrations {
	sub, err := fs.Sub(fsys, "migrations")
	if err != nil {
		// fs.Sub fails only on an invalid path, and "migrations" is valid.
		panic("pg: embedded migrations: " + err.Error())
	}
	return Migrations{Table: table, FS: sub}
}

// likeEscaper makes a person's words literal in a LIKE pattern: "50%" finds "50%", not
// everything that starts with 50.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Contains is the (I)LIKE pattern of the values that contain text, taken literally; "" for
// an empty text, which a query reads as "no filter".
func Contains(text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return ""
	}
	return "%" + likeEscaper.Replace(text) + "%"
}

package pg

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// AtCommit is a transaction that carries statements to its COMMIT. QueueAtCommit adds one: it
// runs in the transaction after everything else done in it, and travels with COMMIT in one
// round trip, so that a write which only needs to happen with the transaction (the outbox's
// rows) costs no round trip of its own. Should a queued statement fail, the transaction rolls
// back and Commit returns that statement's error, prefixed with what. The transactions InTx
// begins on a pool or a connection are AtCommit.
type AtCommit interface {
	QueueAtCommit(what, sql string, args ...any)
}

// conner is what InTx can run its own transaction on: a connection it holds until the end.
type conner interface {
	Acquire(ctx context.Context) (*pgxpool.Conn, error)
}

// begin starts the transaction of InTx: an AtCommit one on a pool's or a connection's
// connection, else db's own (a transaction's savepoint, say).
func begin(ctx context.Context, db Beginner) (pgx.Tx, error) {
	var (
		conn    *pgx.Conn
		release func()
	)
	switch d := db.(type) {
	case conner:
		c, err := d.Acquire(ctx)
		if err != nil {
			return nil, err
		}
		conn, release = c.Conn(), c.Release
	case *pgxpool.Conn:
		conn = d.Conn()
	case *pgx.Conn:
		conn = d
	default:
		return db.Begin(ctx)
	}
	if _, err := conn.Exec(ctx, "begin"); err != nil {
		if conn.PgConn().TxStatus() != 'I' {
			_ = conn.Close(context.WithoutCancel(ctx)) // unknown state: never reuse it
		}
		if release != nil {
			release()
		}
		return nil, err
	}
	return &commitTx{onConn: onConn{conn: conn}, release: release}, nil
}

// commitTx is a transaction on a connection with statements queued for its COMMIT
// (AtCommit). Unlike pgx's own transactions it serves no large objects (pgx builds those on
// its own transactions only, and no service stores any).
type commitTx struct {
	onConn
	release    func() // gives a pool's connection back, nil for a caller's connection
	queued     []queued
	savepoints int // opened so far, to name the next
}

type queued struct {
	what, sql string
	args      []any
}

func (t *commitTx) QueueAtCommit(what, sql string, args ...any) {
	t.queued = append(t.queued, queued{what: what, sql: sql, args: args})
}

func (t *commitTx) Begin(ctx context.Context) (pgx.Tx, error) {
	if t.closed {
		return nil, pgx.ErrTxClosed
	}
	t.savepoints++
	sp := &savepoint{onConn: onConn{conn: t.conn}, root: t, name: fmt.Sprintf("sp_%d", t.savepoints)}
	if _, err := t.conn.Exec(ctx, "savepoint "+sp.name); err != nil {
		return nil, err
	}
	return sp, nil
}

// Commit sends the queued statements and COMMIT as one batch (one round trip; PostgreSQL
// skips what follows a failed statement up to the batch's end, COMMIT included).
func (t *commitTx) Commit(ctx context.Context) error {
	if t.closed {
		return pgx.ErrTxClosed
	}
	defer t.end()
	var (
		tag pgconn.CommandTag
		err error
	)
	if len(t.queued) == 0 {
		tag, err = t.conn.Exec(ctx, "commit")
	} else {
		b := &pgx.Batch{}
		for _, q := range t.queued {
			b.Queue(q.sql, q.args...)
		}
		b.Queue("commit")
		br := t.conn.SendBatch(ctx, b)
		for _, q := range t.queued {
			if _, err = br.Exec(); err != nil {
				err = fmt.Errorf("%s: %w", q.what, err)
				break
			}
		}
		if err == nil {
			tag, err = br.Exec()
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		t.abandon(ctx)
		return err
	}
	if tag.String() == "ROLLBACK" {
		return pgx.ErrTxCommitRollback
	}
	return nil
}

func (t *commitTx) Rollback(ctx context.Context) error {
	if t.closed {
		return pgx.ErrTxClosed
	}
	defer t.end()
	if _, err := t.conn.Exec(ctx, "rollback"); err != nil {
		_ = t.conn.Close(context.WithoutCancel(ctx)) // a failed rollback leaves it in an unknown state
		return err
	}
	return nil
}

// abandon leaves the connection out of any transaction after a failed commit: rolled back,
// or closed when even that fails.
func (t *commitTx) abandon(ctx context.Context) {
	if t.conn.IsClosed() || t.conn.PgConn().TxStatus() == 'I' {
		return
	}
	if _, err := t.conn.Exec(context.WithoutCancel(ctx), "rollback"); err != nil {
		_ = t.conn.Close(context.WithoutCancel(ctx))
	}
}

func (t *commitTx) end() {
	t.closed, t.queued = true, nil
	if t.release != nil {
		t.release()
		t.release = nil
	}
}

// savepoint is a transaction nested in a commitTx. Statements are not queued at its commit:
// a rolled back savepoint must take its statements with it, so they run at once.
type savepoint struct {
	onConn
	root *commitTx
	name string
}

func (s *savepoint) Begin(ctx context.Context) (pgx.Tx, error) {
	if s.closed {
		return nil, pgx.ErrTxClosed
	}
	return s.root.Begin(ctx)
}

func (s *savepoint) Commit(ctx context.Context) error {
	return s.finish(ctx, "release savepoint "+s.name)
}

func (s *savepoint) Rollback(ctx context.Context) error {
	return s.finish(ctx, "rollback to savepoint "+s.name)
}

func (s *savepoint) finish(ctx context.Context, sql string) error {
	if s.closed || s.root.closed {
		return pgx.ErrTxClosed
	}
	s.closed = true
	_, err := s.conn.Exec(ctx, sql)
	return err
}

// onConn is what a transaction does on its connection until it ends.
type onConn struct {
	conn   *pgx.Conn
	closed bool
}

func (o *onConn) Conn() *pgx.Conn { return o.conn }

func (o *onConn) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

func (o *onConn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if o.closed {
		return pgconn.CommandTag{}, pgx.ErrTxClosed
	}
	return o.conn.Exec(ctx, sql, args...)
}

func (o *onConn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if o.closed {
		return nil, pgx.ErrTxClosed
	}
	return o.conn.Query(ctx, sql, args...)
}

func (o *onConn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if o.closed {
		return errRow{pgx.ErrTxClosed}
	}
	return o.conn.QueryRow(ctx, sql, args...)
}

func (o *onConn) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if o.closed {
		return errBatch{pgx.ErrTxClosed}
	}
	return o.conn.SendBatch(ctx, b)
}

func (o *onConn) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	if o.closed {
		return 0, pgx.ErrTxClosed
	}
	return o.conn.CopyFrom(ctx, table, columns, src)
}

func (o *onConn) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	if o.closed {
		return nil, pgx.ErrTxClosed
	}
	return o.conn.Prepare(ctx, name, sql)
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

type errBatch struct{ err error }

func (b errBatch) Exec() (pgconn.CommandTag, error) { return pgconn.CommandTag{}, b.err }
func (b errBatch) Query() (pgx.Rows, error)         { return nil, b.err }
func (b errBatch) QueryRow() pgx.Row                { return errRow(b) }
func (b errBatch) Close() error                     { return b.err }
func (b errBatch) Tx() pgx.Tx                       { return nil }

var (
	_ pgx.Tx   = (*commitTx)(nil)
	_ AtCommit = (*commitTx)(nil)
	_ pgx.Tx   = (*savepoint)(nil)
)

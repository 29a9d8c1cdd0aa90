package pg_test

import (
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/pg"
)

// row is a pgx.Row holding one JSON column, or an error.
type row struct {
	rec []byte
	err error
}

func (r row) Scan(dst ...any) error {
	if r.err != nil {
		return r.err
	}
	*(dst[0].(*[]byte)) = r.rec
	return nil
}

type record struct{ ID, Name string }

type thing struct{ r record }

func fromRecord(r record) *thing { return &thing{r: r} }

func TestScanRecord(t *testing.T) {
	t.Parallel()
	errNotFound := errors.New("no such thing")
	got, err := pg.ScanRecord(row{rec: []byte(`{"ID":"t1","Name":"Ana"}`)}, "thing", errNotFound, fromRecord)
	if err != nil || got.r != (record{ID: "t1", Name: "Ana"}) {
		t.Errorf("read %+v, %v", got, err)
	}
	if _, err := pg.ScanRecord(row{err: pgx.ErrNoRows}, "thing", errNotFound, fromRecord); err != errNotFound {
		t.Errorf("no row: %v, want the not-found error itself", err)
	}
	broken := errors.New("connection reset")
	if _, err := pg.ScanRecord(row{err: broken}, "thing", errNotFound, fromRecord); !errors.Is(err, broken) || err.Error() != "read thing: connection reset" {
		t.Errorf("failed read: %v", err)
	}
	if _, err := pg.ScanRecord(row{rec: []byte(`{`)}, "thing", errNotFound, fromRecord); err == nil || errors.Is(err, errNotFound) {
		t.Errorf("bad JSON: %v, want a decoding error", err)
	}
}

func TestBound(t *testing.T) {
	t.Parallel()
	if _, err := pg.Bound("things store", nil); !errors.Is(err, pg.ErrNoTx) || err.Error() != "things store: "+pg.ErrNoTx.Error() {
		t.Errorf("unbound: %v", err)
	}
}

// TestCreateOnce: a retry of a request returns what its first attempt created, whichever
// unique index it trips (the request's, or the owner's); another request's violation is left
// to the caller.
func TestCreateOnce(t *testing.T) {
	t.Parallel()
	pool := open(t, emptyDB(t))
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE t (id int PRIMARY KEY, owner text CONSTRAINT t_owner UNIQUE,
		request_id text CONSTRAINT t_request UNIQUE)`); err != nil {
		t.Fatal(err)
	}
	errNotFound := errors.New("no such row")
	create := func(id int, owner, requestID string) (int, bool, error) {
		return pg.CreateOnce(ctx, pool, requestID, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, `INSERT INTO t VALUES ($1, $2, NULLIF($3, ''))`, id, owner, requestID)
			return err
		}, func() (int, error) {
			var first int
			err := pool.QueryRow(ctx, `SELECT id FROM t WHERE request_id = $1`, requestID).Scan(&first)
			if errors.Is(err, pgx.ErrNoRows) {
				return 0, errNotFound
			}
			return first, err
		}, errNotFound)
	}
	if _, found, err := create(1, "ana", "r1"); err != nil || found {
		t.Fatalf("first attempt: found %v, %v", found, err)
	}
	if first, found, err := create(2, "ana", "r1"); err != nil || !found || first != 1 {
		t.Errorf("retry: %d, found %v, %v; want the first attempt's 1", first, found, err)
	}
	_, found, err := create(3, "ana", "r2")
	if c, ok := pg.IsUniqueViolation(err); found || !ok || c != "t_owner" {
		t.Errorf("another request of the same owner: found %v, %v; want the t_owner violation", found, err)
	}
	if n := rows(t, pool); n != 1 {
		t.Errorf("%d rows, want 1", n)
	}
}

package pg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ScanRecord reads a row of one column, a domain record kept as JSON (the stores' `record`
// column), and returns what from rebuilds of it (the domain's FromRecord). Errors: notFound
// when there is no row; what names the record in the others.
func ScanRecord[R, T any](row pgx.Row, what string, notFound error, from func(R) T) (T, error) {
	var zero T
	var rec []byte
	if err := row.Scan(&rec); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return zero, notFound
		}
		return zero, fmt.Errorf("read %s: %w", what, err)
	}
	var r R
	if err := json.Unmarshal(rec, &r); err != nil {
		return zero, fmt.Errorf("decode %s: %w", what, err)
	}
	return from(r), nil
}

// ErrNoTx refuses a write that runs only in a transaction opened elsewhere (an event
// consumer's inbox transaction, to which Store.Within binds a store) when the store is bound
// to none: run alone, it would commit apart from the event's claim.
var ErrNoTx = errors.New("this write runs in a transaction opened elsewhere (Store.Within)")

// Bound returns tx, the transaction store is bound to, or ErrNoTx (naming store) when it is
// nil.
func Bound(store string, tx pgx.Tx) (pgx.Tx, error) {
	if tx == nil {
		return nil, fmt.Errorf("%s: %w", store, ErrNoTx)
	}
	return tx, nil
}

// CreateOnce runs write, a record's creation (its INSERT and its outbox events), in a
// transaction of db, once per request: when requestID is set and write trips a unique index,
// the record that request created first, which first reads, is the answer (found true) —
// whichever index tripped, for a retry racing its first attempt may trip another one (one
// record per owner) before the request's. A first that fails with notFound leaves the
// violation to the caller, to name (IsUniqueViolation); any other failure of first is
// returned.
func CreateOnce[T any](ctx context.Context, db Beginner, requestID string, write func(pgx.Tx) error, first func() (T, error), notFound error) (T, bool, error) {
	var zero T
	err := InTx(ctx, db, write)
	if _, ok := IsUniqueViolation(err); ok && requestID != "" {
		t, ferr := first()
		if ferr == nil {
			return t, true, nil
		}
		if !errors.Is(ferr, notFound) {
			return zero, false, ferr
		}
	}
	return zero, false, err
}

package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/erasure"
)

// ErasePerson applies an erasure (SPEC §9) in tx, the erasure consumer's transaction: the
// person's account, sign-in attempts, invitation and copy of the record go
// (postgres.Store.ErasePerson).
func (a *App) ErasePerson(ctx context.Context, tx pgx.Tx, p erasure.Person) error {
	return a.store.Within(tx).ErasePerson(ctx, p)
}

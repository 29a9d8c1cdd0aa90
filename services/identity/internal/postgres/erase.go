package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/erasure"
)

// ErasePerson applies an erasure (SPEC §9) to identity's tables, in the store's transaction
// (the erasure consumer's, Within): the person's account is deleted — which disables it (no sign-in finds it, and
// a token already issued names an account that no longer exists) and scrubs its email and
// password at once — with its sign-in attempts; the invitation (and its code) and the copy
// of the record go; the published events that named the record or the account are forgotten.
// The account is found by the event's account id and by the record it owned, so an erasure
// that names no account (an assisted person who claimed her record later) still finds it.
func (s *Store) ErasePerson(ctx context.Context, p erasure.Person) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("erase %s: %w", p.ID, err)
	}
	col := "host_id"
	if p.Kind == erasure.Student {
		col = "student_id"
	}
	rows, err := tx.Query(ctx, `DELETE FROM accounts WHERE id::text = $1 OR `+col+` = $2 RETURNING id::text, email`, p.AccountID, p.ID)
	if err != nil {
		return fmt.Errorf("erase the account of %s: %w", p.ID, err)
	}
	type gone struct{ id, email string }
	accounts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (gone, error) {
		var g gone
		return g, r.Scan(&g.id, &g.email)
	})
	if err != nil {
		return fmt.Errorf("erase the account of %s: %w", p.ID, err)
	}
	for _, a := range accounts {
		if _, err := tx.Exec(ctx, `DELETE FROM login_attempts WHERE email = $1`, a.email); err != nil {
			return fmt.Errorf("erase sign-in attempts of %s: %w", a.id, err)
		}
		if err := erasure.ForgetPublished(ctx, tx, a.id); err != nil {
			return err
		}
	}
	for _, q := range []string{
		`DELETE FROM invitations WHERE record_id = $1`,
		`DELETE FROM records WHERE id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, p.ID); err != nil {
			return fmt.Errorf("erase invitation and record copy of %s: %w", p.ID, err)
		}
	}
	return erasure.ForgetPublished(ctx, tx, p.ID)
}

package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/platform/erasure"
)

// ErasePerson applies an erasure (SPEC §9) to notifications' tables, in the store's
// transaction (the erasure consumer's, Within): every notification to the person (sent, failed or pending: pending
// ones are thus dropped, never sent) and their reminders go, with the copy of who they are
// and the settings of their account; the published events that named them are forgotten.
// Messages never name anyone (see app.facts), so the other party's records keep nothing of
// the person but an id.
func (s *Store) ErasePerson(ctx context.Context, p erasure.Person) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("erase %s: %w", p.ID, err)
	}
	account := p.AccountID
	if account == "" {
		if err := tx.QueryRow(ctx, `SELECT coalesce(account_id, '') FROM people WHERE id = $1`, p.ID).Scan(&account); err != nil && err != pgx.ErrNoRows {
			return fmt.Errorf("erase %s: find the account: %w", p.ID, err)
		}
	}
	for _, q := range []string{
		`DELETE FROM notifications WHERE recipient_id = $1`,
		`DELETE FROM reminders WHERE host_id = $1 OR student_id = $1`,
		`DELETE FROM people WHERE id = $1`,
	} {
		if _, err := tx.Exec(ctx, q, p.ID); err != nil {
			return fmt.Errorf("erase %s: %w", p.ID, err)
		}
	}
	if account != "" {
		if _, err := tx.Exec(ctx, `DELETE FROM settings WHERE account_id = $1`, account); err != nil {
			return fmt.Errorf("erase %s: settings: %w", p.ID, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM notifications WHERE recipient_id = $1`, account); err != nil {
			return fmt.Errorf("erase %s: %w", p.ID, err)
		}
	}
	return erasure.ForgetPublished(ctx, tx, p.ID)
}

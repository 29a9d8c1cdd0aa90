package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/pg"
)

const accountColumns = `id::text, email, password_hash, role, coalesce(programme_id, ''), coalesce(host_id, ''),
	coalesce(student_id, ''), version, create_time, update_time`

func scanAccount(row pgx.Row) (*account.Account, error) {
	var (
		s    account.Snapshot
		role string
	)
	err := row.Scan(&s.ID, &s.Email, &s.PasswordHash, &role, &s.ProgrammeID, &s.HostID, &s.StudentID,
		&s.Version, &s.CreateTime, &s.UpdateTime)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, account.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	s.Role = auth.Role(role)
	s.CreateTime, s.UpdateTime = s.CreateTime.UTC(), s.UpdateTime.UTC()
	return account.Restore(s), nil
}

func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// CreateAccount stores a and its AccountCreated event.
// Errors: account.ErrEmailTaken; programme.ErrNotFound when its programme does not exist.
func (s *Store) CreateAccount(ctx context.Context, a *account.Account) error {
	snap := a.Snapshot()
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO accounts (id, email, password_hash, role, programme_id, host_id,
			student_id, version, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			snap.ID, snap.Email, snap.PasswordHash, string(snap.Role), nullIfEmpty(snap.ProgrammeID),
			nullIfEmpty(snap.HostID), nullIfEmpty(snap.StudentID), snap.Version, snap.CreateTime, snap.UpdateTime)
		if err != nil {
			return err
		}
		return s.Within(tx).accountCreated(ctx, a)
	})
	if constraint, ok := pg.IsUniqueViolation(err); ok && constraint == "accounts_email_key" {
		return account.ErrEmailTaken.WithCause(err)
	}
	if isForeignKeyViolation(err) {
		return programme.ErrNotFound.WithCause(err)
	}
	if err != nil {
		return fmt.Errorf("create account %s: %w", snap.ID, err)
	}
	return nil
}

// Account returns account id. Errors: account.ErrNotFound.
func (s *Store) Account(ctx context.Context, id string) (*account.Account, error) {
	if uuid.Validate(id) != nil {
		return nil, account.ErrNotFound
	}
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if err != nil && !errors.Is(err, account.ErrNotFound) {
		return nil, fmt.Errorf("get account %s: %w", id, err)
	}
	return a, err
}

// AccountByEmail returns the account of a normalised email. Errors: account.ErrNotFound.
func (s *Store) AccountByEmail(ctx context.Context, email string) (*account.Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE email = $1`, email))
	if err != nil && !errors.Is(err, account.ErrNotFound) {
		// The email stays out of the error: errors end up in logs.
		return nil, fmt.Errorf("get account by email: %w", err)
	}
	return a, err
}

// UpdateAccount locks account id, applies fn and stores the result in one transaction.
// Errors: account.ErrNotFound, fn's.
func (s *Store) UpdateAccount(ctx context.Context, id string, fn func(*account.Account) error) (*account.Account, error) {
	var a *account.Account
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		a, err = s.Within(tx).updateAccount(ctx, id, fn)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update account %s: %w", id, err)
	}
	return a, nil
}

// updateAccount locks account id, applies fn and stores the result, in the store's
// transaction.
func (s *Store) updateAccount(ctx context.Context, id string, fn func(*account.Account) error) (*account.Account, error) {
	tx, err := s.inTx()
	if err != nil {
		return nil, err
	}
	if uuid.Validate(id) != nil {
		return nil, account.ErrNotFound
	}
	a, err := scanAccount(tx.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return nil, err
	}
	before := a.Version()
	if err := fn(a); err != nil {
		return nil, err
	}
	if a.Version() == before {
		return a, nil
	}
	snap := a.Snapshot()
	_, err = tx.Exec(ctx, `UPDATE accounts SET password_hash = $2, host_id = $3, student_id = $4, version = $5,
		update_time = $6 WHERE id = $1`,
		id, snap.PasswordHash, nullIfEmpty(snap.HostID), nullIfEmpty(snap.StudentID), snap.Version, snap.UpdateTime)
	if constraint, ok := pg.IsUniqueViolation(err); ok {
		// Another account already owns that host or student record.
		return nil, account.ErrAlreadyLinked.WithMessage("another account already owns this record").WithCause(fmt.Errorf("%s: %w", constraint, err))
	}
	return a, err
}

// ClaimLoginAttempt locks the sign-in record of email (an empty one if none), passes it to fn
// and stores what fn returns, in one transaction, so that parallel attempts are counted one
// after the other. fn's error stores nothing and is returned as is.
func (s *Store) ClaimLoginAttempt(ctx context.Context, email string, fn func(account.Attempts) (account.Attempts, error)) error {
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO login_attempts (email, failures) VALUES ($1, 0) ON CONFLICT DO NOTHING`, email); err != nil {
			return err
		}
		var (
			a                  account.Attempts
			lastAttempt, until *time.Time
		)
		if err := tx.QueryRow(ctx, `SELECT failures, last_attempt_at, locked_until FROM login_attempts WHERE email = $1 FOR UPDATE`,
			email).Scan(&a.Failures, &lastAttempt, &until); err != nil {
			return err
		}
		if lastAttempt != nil {
			a.LastAttempt = *lastAttempt
		}
		if until != nil {
			a.LockedUntil = *until
		}
		next, err := fn(a)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE login_attempts SET failures = $2, last_attempt_at = $3, locked_until = $4 WHERE email = $1`,
			email, next.Failures, timeOrNil(next.LastAttempt), timeOrNil(next.LockedUntil))
		return err
	})
	if err != nil {
		return fmt.Errorf("claim sign-in attempt: %w", err)
	}
	return nil
}

// ResetLoginAttempts forgets the failures of email after a successful sign-in.
func (s *Store) ResetLoginAttempts(ctx context.Context, email string) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_attempts WHERE email = $1`, email); err != nil {
		return fmt.Errorf("reset sign-in attempts: %w", err)
	}
	return nil
}

// timeOrNil stores a zero time as NULL.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/convert"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// RecordRegistered keeps identity's copy of rec, and when rec has an owner, links the
// owning account with link, in the store's transaction (the consumer's inbox transaction,
// Within: a redelivered event changes nothing). An owner already known (the record was
// claimed with an invitation) is kept. Errors: link's; account.ErrNotFound for an unknown
// owner.
func (s *Store) RecordRegistered(ctx context.Context, rec invitation.Record, link func(*account.Account) error) error {
	err := func() error {
		tx, err := s.inTx()
		if err != nil {
			return err
		}
		if rec.OwnerAccountID != "" && uuid.Validate(rec.OwnerAccountID) != nil {
			return account.ErrNotFound
		}
		if _, err := tx.Exec(ctx, `INSERT INTO records (kind, id, programme_id, owner_account_id) VALUES ($1, $2, $3, $4)
			ON CONFLICT (kind, id) DO UPDATE SET owner_account_id = coalesce(records.owner_account_id, excluded.owner_account_id)`,
			string(rec.Kind), rec.ID, rec.ProgrammeID, nullIfEmpty(rec.OwnerAccountID)); err != nil {
			return err
		}
		if rec.OwnerAccountID == "" {
			return nil
		}
		_, err = s.updateAccount(ctx, rec.OwnerAccountID, link)
		return err
	}()
	if err != nil {
		return fmt.Errorf("record %s %s: %w", rec.Kind, rec.ID, err)
	}
	return nil
}

// SaveRecord keeps rec in identity's copy of the records, as read from its own service; an
// owner already known is kept.
func (s *Store) SaveRecord(ctx context.Context, rec invitation.Record) error {
	if rec.OwnerAccountID != "" && uuid.Validate(rec.OwnerAccountID) != nil {
		return fmt.Errorf("record %s %s: owner %q is not a UUID", rec.Kind, rec.ID, rec.OwnerAccountID)
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO records (kind, id, programme_id, owner_account_id) VALUES ($1, $2, $3, $4)
		ON CONFLICT (kind, id) DO UPDATE SET owner_account_id = coalesce(records.owner_account_id, excluded.owner_account_id)`,
		string(rec.Kind), rec.ID, rec.ProgrammeID, nullIfEmpty(rec.OwnerAccountID)); err != nil {
		return fmt.Errorf("save record %s %s: %w", rec.Kind, rec.ID, err)
	}
	return nil
}

func scanRecord(row pgx.Row) (invitation.Record, error) {
	var (
		r    invitation.Record
		kind string
	)
	err := row.Scan(&kind, &r.ID, &r.ProgrammeID, &r.OwnerAccountID)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, invitation.ErrRecordNotFound
	}
	r.Kind = account.RecordKind(kind)
	return r, err
}

const recordColumns = `kind, id, programme_id, coalesce(owner_account_id::text, '')`

const invitationColumns = `id::text, record_kind, record_id, programme_id, coalesce(code, ''), created_by, create_time, expire_time`

func scanInvitation(row pgx.Row) (invitation.Invitation, error) {
	var (
		i    invitation.Invitation
		kind string
	)
	err := row.Scan(&i.ID, &kind, &i.RecordID, &i.ProgrammeID, &i.Code, &i.CreatedBy, &i.CreateTime, &i.ExpireTime)
	if errors.Is(err, pgx.ErrNoRows) {
		return i, invitation.ErrNotFound
	}
	i.Kind = account.RecordKind(kind)
	i.CreateTime, i.ExpireTime = i.CreateTime.UTC(), i.ExpireTime.UTC()
	return i, err
}

// CreateInvitation locks the record of kind and id, asks fn for the invitation (fn decides
// whether the caller may invite and whether the record can be claimed), replaces the
// record's previous invitation with it and writes InvitationCreated, in one transaction.
// Errors: invitation.ErrRecordNotFound; fn's.
func (s *Store) CreateInvitation(ctx context.Context, kind account.RecordKind, id string, fn func(invitation.Record) (invitation.Invitation, error)) (invitation.Invitation, error) {
	var inv invitation.Invitation
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rec, err := scanRecord(tx.QueryRow(ctx, `SELECT `+recordColumns+` FROM records WHERE kind = $1 AND id = $2 FOR UPDATE`, string(kind), id))
		if err != nil {
			return err
		}
		if inv, err = fn(rec); err != nil {
			return err
		}
		var replaced string
		err = tx.QueryRow(ctx, `DELETE FROM invitations WHERE record_kind = $1 AND record_id = $2 RETURNING id::text`,
			string(kind), id).Scan(&replaced)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO invitations (id, record_kind, record_id, programme_id, code, code_digest,
			created_by, create_time, expire_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			inv.ID, string(inv.Kind), inv.RecordID, inv.ProgrammeID, inv.Code, invitation.Digest(inv.Code),
			inv.CreatedBy, inv.CreateTime, inv.ExpireTime); err != nil {
			return err
		}
		// No code and no contact details in the event: see InvitationCreated.
		return s.Within(tx).appendEvent(ctx, identityevents.InvitationCreated.Subject, inv.ProgrammeID, inv.CreateTime, &identityeventsv1.InvitationCreated{
			InvitationId: inv.ID, RecordId: inv.RecordID, RecordKind: convert.RecordKind(inv.Kind), ProgrammeId: inv.ProgrammeID,
			ExpireTime: timestamppb.New(inv.ExpireTime), ReplacesInvitationId: replaced,
		})
	})
	if err != nil {
		return invitation.Invitation{}, fmt.Errorf("invite %s %s: %w", kind, id, err)
	}
	return inv, nil
}

// InvitationByCode returns the unused invitation whose code has digest, looked up by the
// digest's index (see invitation.Digest). Errors: invitation.ErrInvalidCode.
func (s *Store) InvitationByCode(ctx context.Context, digest []byte) (invitation.Invitation, error) {
	inv, err := scanInvitation(s.pool.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations
		WHERE code_digest = $1 AND code IS NOT NULL`, digest))
	if errors.Is(err, invitation.ErrNotFound) {
		return inv, invitation.ErrInvalidCode
	}
	if err != nil {
		return inv, fmt.Errorf("invitation by code: %w", err)
	}
	return inv, nil
}

// Invitation returns invitation id, its code empty once used or expired.
// Errors: invitation.ErrNotFound (also once replaced).
func (s *Store) Invitation(ctx context.Context, id string) (invitation.Invitation, error) {
	if uuid.Validate(id) != nil {
		return invitation.Invitation{}, invitation.ErrNotFound
	}
	inv, err := scanInvitation(s.pool.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = $1`, id))
	if err != nil && !errors.Is(err, invitation.ErrNotFound) {
		return inv, fmt.Errorf("invitation %s: %w", id, err)
	}
	return inv, err
}

// RedeemInvitation creates acct as the owner of invitation id's record, in one transaction
// that locks the invitation and the record, lets check decide whether the invitation still
// opens (not used, replaced or expired meanwhile) and whether the record is still unclaimed,
// drops the code, and writes AccountCreated and InvitationAccepted.
// Errors: invitation.ErrInvalidCode; account.ErrEmailTaken; check's.
func (s *Store) RedeemInvitation(ctx context.Context, id string, acct *account.Account, check func(invitation.Invitation, invitation.Record) error) error {
	snap := acct.Snapshot()
	return s.redeem(ctx, id, check, func(tx pgx.Tx, _ invitation.Invitation) (string, time.Time, error) {
		if _, err := tx.Exec(ctx, `INSERT INTO accounts (id, email, password_hash, role, programme_id, host_id,
			student_id, version, create_time, update_time) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			snap.ID, snap.Email, snap.PasswordHash, string(snap.Role), nullIfEmpty(snap.ProgrammeID),
			nullIfEmpty(snap.HostID), nullIfEmpty(snap.StudentID), snap.Version, snap.CreateTime, snap.UpdateTime); err != nil {
			return "", time.Time{}, err
		}
		return snap.ID, snap.CreateTime, s.Within(tx).accountCreated(ctx, acct)
	})
}

// RedeemInvitationForAccount is RedeemInvitation for a person who already has an account
// (she signed up on her own before she was invited): link links the account accountID,
// locked, to the invitation's record instead of a new account being made.
// Errors: invitation.ErrInvalidCode; account.ErrNotFound; check's and link's.
func (s *Store) RedeemInvitationForAccount(ctx context.Context, id, accountID string, check func(invitation.Invitation, invitation.Record) error,
	link func(*account.Account, invitation.Invitation) error) (*account.Account, error) {
	var out *account.Account
	err := s.redeem(ctx, id, check, func(tx pgx.Tx, inv invitation.Invitation) (string, time.Time, error) {
		a, err := s.Within(tx).updateAccount(ctx, accountID, func(a *account.Account) error { return link(a, inv) })
		if err != nil {
			return "", time.Time{}, err
		}
		out = a
		return a.ID(), a.UpdateTime(), nil
	})
	return out, err
}

// redeem is the transaction of both redemptions; owner makes or links the owning account.
func (s *Store) redeem(ctx context.Context, id string, check func(invitation.Invitation, invitation.Record) error,
	owner func(pgx.Tx, invitation.Invitation) (string, time.Time, error)) error {
	err := pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		inv, err := scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE id = $1 FOR UPDATE`, id))
		if errors.Is(err, invitation.ErrNotFound) {
			return invitation.ErrInvalidCode
		}
		if err != nil {
			return err
		}
		rec, err := scanRecord(tx.QueryRow(ctx, `SELECT `+recordColumns+` FROM records WHERE kind = $1 AND id = $2 FOR UPDATE`,
			string(inv.Kind), inv.RecordID))
		if err != nil {
			return err
		}
		if err := check(inv, rec); err != nil {
			return err
		}
		accountID, at, err := owner(tx, inv)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE invitations SET code = NULL, used_time = $2, account_id = $3 WHERE id = $1`,
			id, at, accountID); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE records SET owner_account_id = $3 WHERE kind = $1 AND id = $2`,
			string(inv.Kind), inv.RecordID, accountID); err != nil {
			return err
		}
		return s.Within(tx).appendEvent(ctx, identityevents.InvitationAccepted.Subject, inv.ProgrammeID, at, &identityeventsv1.InvitationAccepted{
			InvitationId: inv.ID, RecordId: inv.RecordID, RecordKind: convert.RecordKind(inv.Kind), ProgrammeId: inv.ProgrammeID,
			AccountId: accountID,
		})
	})
	if constraint, ok := pg.IsUniqueViolation(err); ok {
		if constraint == "accounts_email_key" {
			return account.ErrEmailTaken.WithCause(err)
		}
		// Another account already owns the record (it signed up at the same instant).
		return invitation.ErrInvalidCode.WithCause(err)
	}
	if e, ok := errs.As(err); ok {
		return e
	}
	if err != nil {
		return fmt.Errorf("redeem invitation %s: %w", id, err)
	}
	return nil
}

// DropExpiredCodes forgets the codes of invitations expired at now: a code is kept readable
// only while it can still be used. It returns how many it dropped.
func (s *Store) DropExpiredCodes(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE invitations SET code = NULL WHERE code IS NOT NULL AND expire_time <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("drop expired invitation codes: %w", err)
	}
	return tag.RowsAffected(), nil
}

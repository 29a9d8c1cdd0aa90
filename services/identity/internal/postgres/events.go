package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/convert"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// SignupDuplicated publishes that someone signed up with the email of owner, for the
// notifications service to tell its owner. There is nothing to store.
func (s *Store) SignupDuplicated(ctx context.Context, owner *account.Account, at time.Time) error {
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		return s.Within(tx).appendEvent(ctx, identityevents.SignupDuplicated.Subject, owner.ProgrammeID(), at,
			&identityeventsv1.SignupDuplicated{AccountId: owner.ID(), ProgrammeId: owner.ProgrammeID()})
	})
}

// RevokeSessions publishes the end of sessions (account.Revocation) for every service to
// refuse their tokens. There is nothing to store: the event is the revocation.
func (s *Store) RevokeSessions(ctx context.Context, r account.Revocation) error {
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		return s.Within(tx).appendEvent(ctx, identityevents.SessionsRevoked.Subject, r.ProgrammeID, r.At, &identityeventsv1.SessionsRevoked{
			AccountId: r.AccountID, SessionId: r.SessionID,
			RevokeTime: timestamppb.New(r.At), ExpireTime: timestamppb.New(r.Until),
		})
	})
}

// appendEvent writes an event to the outbox of the store's transaction, the one of the change
// it tells of.
func (s *Store) appendEvent(ctx context.Context, subject, programmeID string, at time.Time, payload proto.Message) error {
	tx, err := s.inTx()
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	e, err := event.New(subject, programmeID, at, payload)
	if err != nil {
		return err
	}
	if err := outbox.Append(ctx, tx, e); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

func (s *Store) programmeCreated(ctx context.Context, p *programme.Programme) error {
	return s.appendEvent(ctx, identityevents.ProgrammeCreated.Subject, p.ID(), p.UpdateTime(),
		&identityeventsv1.ProgrammeCreated{Programme: convert.Programme(p)})
}

func (s *Store) programmeUpdated(ctx context.Context, p *programme.Programme) error {
	return s.appendEvent(ctx, identityevents.ProgrammeUpdated.Subject, p.ID(), p.UpdateTime(),
		&identityeventsv1.ProgrammeUpdated{Programme: convert.Programme(p)})
}

func (s *Store) accountCreated(ctx context.Context, a *account.Account) error {
	return s.appendEvent(ctx, identityevents.AccountCreated.Subject, a.ProgrammeID(), a.CreateTime(),
		&identityeventsv1.AccountCreated{AccountId: a.ID(), Role: convert.Role(a.Role()), ProgrammeId: a.ProgrammeID()})
}

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
		return appendEvent(ctx, tx, identityevents.SignupDuplicated.Subject, owner.ProgrammeID(), at,
			&identityeventsv1.SignupDuplicated{AccountId: owner.ID(), ProgrammeId: owner.ProgrammeID()})
	})
}

// RevokeSessions publishes the end of sessions (account.Revocation) for every service to
// refuse their tokens. There is nothing to store: the event is the revocation.
func (s *Store) RevokeSessions(ctx context.Context, r account.Revocation) error {
	return pg.InTx(ctx, s.pool, func(tx pgx.Tx) error {
		return appendEvent(ctx, tx, identityevents.SessionsRevoked.Subject, r.ProgrammeID, r.At, &identityeventsv1.SessionsRevoked{
			AccountId: r.AccountID, SessionId: r.SessionID,
			RevokeTime: timestamppb.New(r.At), ExpireTime: timestamppb.New(r.Until),
		})
	})
}

func appendEvent(ctx context.Context, tx pgx.Tx, subject, programmeID string, at time.Time, payload proto.Message) error {
	e, err := event.New(subject, programmeID, at, payload)
	if err != nil {
		return err
	}
	if err := outbox.Append(ctx, tx, e); err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

func programmeCreated(ctx context.Context, tx pgx.Tx, p *programme.Programme) error {
	return appendEvent(ctx, tx, identityevents.ProgrammeCreated.Subject, p.ID(), p.UpdateTime(),
		&identityeventsv1.ProgrammeCreated{Programme: convert.Programme(p)})
}

func programmeUpdated(ctx context.Context, tx pgx.Tx, p *programme.Programme) error {
	return appendEvent(ctx, tx, identityevents.ProgrammeUpdated.Subject, p.ID(), p.UpdateTime(),
		&identityeventsv1.ProgrammeUpdated{Programme: convert.Programme(p)})
}

func accountCreated(ctx context.Context, tx pgx.Tx, a *account.Account) error {
	return appendEvent(ctx, tx, identityevents.AccountCreated.Subject, a.ProgrammeID(), a.CreateTime(),
		&identityeventsv1.AccountCreated{AccountId: a.ID(), Role: convert.Role(a.Role()), ProgrammeId: a.ProgrammeID()})
}

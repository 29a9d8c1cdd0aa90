// Package eventsub consumes other services' events that concern accounts: when a host or a
// student creates their own record, the account that owns it learns its id, so that /v1/me
// shows the link.
//
// Each followed event is one handler (platform/consume): which kind of record it links, and
// where its payload names the owner and the record; the handling (inbox, errors) is shared.
package eventsub

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Consumer is the name under which the identity service claims events in its inbox.
const Consumer = "identity"

// Linker keeps identity's copy of a record and records that an account owns it, in the
// event's inbox transaction (app.App).
type Linker interface {
	RecordRegistered(ctx context.Context, tx pgx.Tx, rec app.Record) error
}

// Consumers returns one durable consumer per source stream, "identity-hosts" and
// "identity-students", both claiming events as Consumer. Whatever no retry can fix (a
// malformed event, an unknown account, an account that cannot own the record) is
// terminated; anything else is retried later (platform/consume).
func Consumers(db pg.Beginner, l Linker, log *slog.Logger) []*natsx.Consumer {
	// An empty owner means the record has no account (registered by a coordinator): identity
	// keeps it, so that its person can be invited to claim it.
	link := func(ctx context.Context, tx pgx.Tx, kind account.RecordKind, recordID, programmeID, ownerID string) error {
		if recordID == "" {
			return consume.Permanent(fmt.Errorf("the %s's event names no record", kind))
		}
		if err := l.RecordRegistered(ctx, tx, app.Record{Kind: kind, ID: recordID, ProgrammeID: programmeID, OwnerAccountID: ownerID}); err != nil {
			return fmt.Errorf("link %s %s to account %s: %w", kind, recordID, ownerID, err)
		}
		return nil
	}
	return []*natsx.Consumer{
		consume.Group{Durable: Consumer + "-hosts", Inbox: Consumer, DB: db, Handlers: []consume.Handler{
			consume.On(hostsevents.HostRegistered, func(ctx context.Context, tx pgx.Tx, _ consume.Meta, p *hostseventsv1.HostRegistered) error {
				h := p.GetHost()
				return link(ctx, tx, account.RecordHost, h.GetHostId(), h.GetProgrammeId(), h.GetOwnerAccountId())
			}),
		}}.Consumer(log),
		consume.Group{Durable: Consumer + "-students", Inbox: Consumer, DB: db, Handlers: []consume.Handler{
			consume.On(studentsevents.StudentRegistered, func(ctx context.Context, tx pgx.Tx, _ consume.Meta, p *studentseventsv1.StudentRegistered) error {
				st := p.GetStudent()
				return link(ctx, tx, account.RecordStudent, st.GetStudentId(), st.GetProgrammeId(), st.GetOwnerAccountId())
			}),
		}}.Consumer(log),
	}
}

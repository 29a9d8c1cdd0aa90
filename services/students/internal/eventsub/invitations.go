package eventsub

import (
	"context"
	"fmt"
	"log/slog"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/students/internal/app"
)

// SubjectInvitationAccepted: a person signed up with an invitation's code (identity).
const SubjectInvitationAccepted = "cohabit.identity.invitation.accepted"

// DurableInvitations is the consumer (and inbox name) of accepted invitations.
const DurableInvitations = "students-invitations"

// invitationsConsumer makes the account that accepted a student's invitation the student's owner.
// Hosts' invitations are acknowledged and ignored.
func invitationsConsumer(a *app.App, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{Stream: "IDENTITY", Durable: DurableInvitations, Subjects: []string{SubjectInvitationAccepted}, Log: log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			if e.GetType() != SubjectInvitationAccepted {
				return nil
			}
			m, err := event.Payload(e, &identityeventsv1.InvitationAccepted{})
			if err != nil {
				return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
			}
			if m.GetRecordKind() != identityv1.RecordKind_RECORD_KIND_STUDENT {
				return nil
			}
			if !ids.Valid(m.GetRecordId()) || !ids.Valid(m.GetAccountId()) {
				return fmt.Errorf("%w: %s %s: student id %q or account id %q is not a UUID", natsx.ErrPermanent, e.GetType(), e.GetId(), m.GetRecordId(), m.GetAccountId())
			}
			return classify(a.ClaimStudent(ctx, DurableInvitations, e.GetId(), m.GetRecordId(), m.GetAccountId(), m.GetProgrammeId()))
		}}
}

// Package identityevents is the catalogue of the identity service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package identityevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
)

// Stream holds every subject under cohabit.identity.>.
var Stream = eventcat.NewStream("IDENTITY", "identity")

// The events, named <Record><Fact>.
var (
	ProgrammeCreated   = eventcat.Define[*identityeventsv1.ProgrammeCreated](Stream, "cohabit.identity.programme.created")
	ProgrammeUpdated   = eventcat.Define[*identityeventsv1.ProgrammeUpdated](Stream, "cohabit.identity.programme.updated")
	AccountCreated     = eventcat.Define[*identityeventsv1.AccountCreated](Stream, "cohabit.identity.account.created")
	InvitationCreated  = eventcat.Define[*identityeventsv1.InvitationCreated](Stream, "cohabit.identity.invitation.created")
	InvitationAccepted = eventcat.Define[*identityeventsv1.InvitationAccepted](Stream, "cohabit.identity.invitation.accepted")
	SignupDuplicated   = eventcat.Define[*identityeventsv1.SignupDuplicated](Stream, "cohabit.identity.signup.duplicated")
	SessionsRevoked    = eventcat.Define[*identityeventsv1.SessionsRevoked](Stream, "cohabit.identity.sessions.revoked")
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the identity service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.identity.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{ProgrammeCreated, ProgrammeUpdated, AccountCreated, InvitationCreated, InvitationAccepted, SignupDuplicated, SessionsRevoked, AuditRecorded}
}

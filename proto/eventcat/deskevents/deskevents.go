// Package deskevents is the catalogue of the desk service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package deskevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	deskeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
)

// Stream holds every subject under cohabit.desk.>.
var Stream = eventcat.NewStream("DESK", "desk")

// The events, named <Record><Fact>.
var (
	DocumentRequested = eventcat.Define[*deskeventsv1.DocumentChanged](Stream, "cohabit.desk.document.requested")
	DocumentReceived  = eventcat.Define[*deskeventsv1.DocumentChanged](Stream, "cohabit.desk.document.received")
	DocumentVerified  = eventcat.Define[*deskeventsv1.DocumentChanged](Stream, "cohabit.desk.document.verified")
	DocumentRejected  = eventcat.Define[*deskeventsv1.DocumentChanged](Stream, "cohabit.desk.document.rejected")
	DocumentExpired   = eventcat.Define[*deskeventsv1.DocumentChanged](Stream, "cohabit.desk.document.expired")
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the desk service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.desk.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{DocumentRequested, DocumentReceived, DocumentVerified, DocumentRejected, DocumentExpired, AuditRecorded}
}

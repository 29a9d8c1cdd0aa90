// Package notificationsevents is the catalogue of the notifications service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package notificationsevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	notificationseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/events/v1"
)

// Stream holds every subject under cohabit.notifications.>.
var Stream = eventcat.NewStream("NOTIFICATIONS", "notifications")

// The events, named <Record><Fact>.
var (
	CallRequested = eventcat.Define[*notificationseventsv1.CallRequested](Stream, "cohabit.notifications.call.requested")
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the notifications service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.notifications.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{CallRequested, AuditRecorded}
}

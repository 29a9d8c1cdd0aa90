// Package figuresevents is the catalogue of the figures service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package figuresevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
)

// Stream holds every subject under cohabit.figures.>.
var Stream = eventcat.NewStream("FIGURES", "figures")

// The events, named <Record><Fact>.
var (
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the figures service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.figures.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{AuditRecorded}
}

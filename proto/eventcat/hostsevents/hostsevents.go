// Package hostsevents is the catalogue of the hosts service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package hostsevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
)

// Stream holds every subject under cohabit.hosts.>.
var Stream = eventcat.NewStream("HOSTS", "hosts")

// The events, named <Record><Fact>.
var (
	HostRegistered = eventcat.Define[*hostseventsv1.HostRegistered](Stream, "cohabit.hosts.host.registered")
	HostUpdated    = eventcat.Define[*hostseventsv1.HostUpdated](Stream, "cohabit.hosts.host.updated")
	HostVerified   = eventcat.Define[*hostseventsv1.HostVerified](Stream, "cohabit.hosts.host.verified")
	HostSuspended  = eventcat.Define[*hostseventsv1.HostStatusChanged](Stream, "cohabit.hosts.host.suspended")
	HostReinstated = eventcat.Define[*hostseventsv1.HostStatusChanged](Stream, "cohabit.hosts.host.reinstated")
	HostArchived   = eventcat.Define[*hostseventsv1.HostStatusChanged](Stream, "cohabit.hosts.host.archived")
	HostErased     = eventcat.Define[*eventsv1.PersonErased](Stream, "cohabit.hosts.host.erased")
	RoomCreated    = eventcat.Define[*hostseventsv1.RoomCreated](Stream, "cohabit.hosts.room.created")
	RoomUpdated    = eventcat.Define[*hostseventsv1.RoomUpdated](Stream, "cohabit.hosts.room.updated")
	RoomPublished  = eventcat.Define[*hostseventsv1.RoomPublished](Stream, "cohabit.hosts.room.published")
	RoomWithdrawn  = eventcat.Define[*hostseventsv1.RoomWithdrawn](Stream, "cohabit.hosts.room.withdrawn")
	RoomReserved   = eventcat.Define[*hostseventsv1.RoomUpdated](Stream, "cohabit.hosts.room.reserved")
	RoomOccupied   = eventcat.Define[*hostseventsv1.RoomUpdated](Stream, "cohabit.hosts.room.occupied")
	RoomReleased   = eventcat.Define[*hostseventsv1.RoomUpdated](Stream, "cohabit.hosts.room.released")
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the hosts service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.hosts.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{HostRegistered, HostUpdated, HostVerified, HostSuspended, HostReinstated, HostArchived, HostErased, RoomCreated, RoomUpdated, RoomPublished, RoomWithdrawn, RoomReserved, RoomOccupied, RoomReleased, AuditRecorded}
}

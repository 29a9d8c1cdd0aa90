// Package all lists the whole event catalogue: every stream and every event of every service,
// for what must see them all (the catalogue's tests, the documentation's check, the audit
// trail that follows every stream).
package all

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	"github.com/cohabit/cohabit/proto/eventcat/figuresevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
)

// Streams is every service's stream.
func Streams() []eventcat.Stream {
	return []eventcat.Stream{
		identityevents.Stream, hostsevents.Stream, studentsevents.Stream, matchingevents.Stream,
		contractsevents.Stream, notificationsevents.Stream, figuresevents.Stream, deskevents.Stream,
	}
}

// Events is every event of every stream, stream by stream.
func Events() []eventcat.Entry {
	var out []eventcat.Entry
	for _, list := range [][]eventcat.Entry{
		identityevents.Events(), hostsevents.Events(), studentsevents.Events(), matchingevents.Events(),
		contractsevents.Events(), notificationsevents.Events(), figuresevents.Events(), deskevents.Events(),
	} {
		out = append(out, list...)
	}
	return out
}

// Stream returns the stream of service, and false when no service of that name has one.
func Stream(service string) (eventcat.Stream, bool) {
	for _, s := range Streams() {
		if s.Service == service {
			return s, true
		}
	}
	return eventcat.Stream{}, false
}

// Event returns the event of subject, and false when the catalogue has none.
func Event(subject string) (eventcat.Entry, bool) {
	for _, e := range Events() {
		if e.SubjectName() == subject {
			return e, true
		}
	}
	return nil, false
}

// Audit returns the audit event of service (cohabit.<service>.audit.recorded), and false when
// the service has no stream.
func Audit(service string) (eventcat.Event[*eventsv1.AuditRecorded], bool) {
	ev, ok := map[string]eventcat.Event[*eventsv1.AuditRecorded]{
		identityevents.Stream.Service:      identityevents.AuditRecorded,
		hostsevents.Stream.Service:         hostsevents.AuditRecorded,
		studentsevents.Stream.Service:      studentsevents.AuditRecorded,
		matchingevents.Stream.Service:      matchingevents.AuditRecorded,
		contractsevents.Stream.Service:     contractsevents.AuditRecorded,
		notificationsevents.Stream.Service: notificationsevents.AuditRecorded,
		figuresevents.Stream.Service:       figuresevents.AuditRecorded,
		deskevents.Stream.Service:          deskevents.AuditRecorded,
	}[service]
	return ev, ok
}

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

// Package studentsevents is the catalogue of the students service's events: its stream, and each
// subject with its payload type (docs/events.md says who follows each and why).
package studentsevents

import (
	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
)

// Stream holds every subject under cohabit.students.>.
var Stream = eventcat.NewStream("STUDENTS", "students")

// The events, named <Record><Fact>.
var (
	StudentRegistered      = eventcat.Define[*studentseventsv1.StudentRegistered](Stream, "cohabit.students.student.registered")
	StudentUpdated         = eventcat.Define[*studentseventsv1.StudentUpdated](Stream, "cohabit.students.student.updated")
	StudentVerified        = eventcat.Define[*studentseventsv1.StudentVerified](Stream, "cohabit.students.student.verified")
	StudentArchived        = eventcat.Define[*studentseventsv1.StudentStatusChanged](Stream, "cohabit.students.student.archived")
	StudentErased          = eventcat.Define[*eventsv1.PersonErased](Stream, "cohabit.students.student.erased")
	StudentPlaced          = eventcat.Define[*studentseventsv1.StudentStatusChanged](Stream, "cohabit.students.student.placed")
	StudentReleased        = eventcat.Define[*studentseventsv1.StudentStatusChanged](Stream, "cohabit.students.student.released")
	ApplicationSubmitted   = eventcat.Define[*studentseventsv1.ApplicationSubmitted](Stream, "cohabit.students.application.submitted")
	ApplicationWithdrawn   = eventcat.Define[*studentseventsv1.ApplicationWithdrawn](Stream, "cohabit.students.application.withdrawn")
	ApplicationMatched     = eventcat.Define[*studentseventsv1.ApplicationStatusChanged](Stream, "cohabit.students.application.matched")
	ApplicationPlaced      = eventcat.Define[*studentseventsv1.ApplicationStatusChanged](Stream, "cohabit.students.application.placed")
	ApplicationResubmitted = eventcat.Define[*studentseventsv1.ApplicationStatusChanged](Stream, "cohabit.students.application.resubmitted")
	// AuditRecorded: a coordinator or an admin read or changed data naming people, through
	// one of the students service's methods (platform/audit).
	AuditRecorded = eventcat.Define[*eventsv1.AuditRecorded](Stream, "cohabit.students.audit.recorded")
)

// Events lists every event of the stream.
func Events() []eventcat.Entry {
	return []eventcat.Entry{StudentRegistered, StudentUpdated, StudentVerified, StudentArchived, StudentErased, StudentPlaced, StudentReleased, ApplicationSubmitted, ApplicationWithdrawn, ApplicationMatched, ApplicationPlaced, ApplicationResubmitted, AuditRecorded}
}

package service_test

import (
	"time"

	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
)

// setMeeting puts the meeting's time in the event, once MatchChanged carries it.
func setMeeting(*matchingeventsv1.MatchChanged, time.Time) {}

func hasMeetingTime(*matchingeventsv1.MatchChanged) bool { return false }

func studentRegistered(id, account string) *studentseventsv1.StudentRegistered {
	return &studentseventsv1.StudentRegistered{Student: &studentseventsv1.StudentProfile{StudentId: id, ProgrammeId: programme,
		Status: "PENDING_VERIFICATION", OwnerAccountId: account}}
}

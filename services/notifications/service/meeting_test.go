package service_test

import (
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
)

func setMeeting(m *matchingeventsv1.MatchChanged, at time.Time) { m.MeetingTime = timestamppb.New(at) }

func studentRegistered(id, account string) *studentseventsv1.StudentRegistered {
	return &studentseventsv1.StudentRegistered{Student: &studentseventsv1.StudentProfile{StudentId: id, ProgrammeId: programme,
		Status: "PENDING_VERIFICATION", OwnerAccountId: account}}
}

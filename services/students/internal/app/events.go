package app

import (
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/person"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// studentProfile is what other services may know of a student: no phone, email, birth date
// or motivation (ARCHITECTURE.md, events).
func studentProfile(s *student.Student, at time.Time) *studentseventsv1.StudentProfile {
	r := s.Record()
	p := r.Profile
	out := &studentseventsv1.StudentProfile{
		StudentId:             r.ID,
		ProgrammeId:           r.ProgrammeID,
		Status:                string(r.Status),
		DisplayName:           p.DisplayName,
		Age:                   int32(p.BirthDate.YearsOn(date.Of(at))),
		StudyCity:             p.StudyPlace.City,
		StudyLat:              p.StudyPlace.Lat,
		StudyLng:              p.StudyPlace.Lng,
		StudyPlaceApproximate: p.StudyPlace.Approximate,
		MaxCommuteKm:          int32(p.MaxCommuteKm),
		Languages:             p.Languages,
		Smokes:                p.Smokes,
		HasPets:               p.HasPets,
		AcceptsSmokers:        p.AcceptsSmokers,
		AcceptsPets:           p.AcceptsPets,
		Gender:                typev1.Gender(typev1.Gender_value["GENDER_"+p.Gender]),
		HoursOfferedPerWeek:   int32(p.HoursOfferedPerWeek),
		NightsPresentPerWeek:  int32(p.NightsPresentPerWeek),
		Rhythm:                typev1.Rhythm(typev1.Rhythm_value["RHYTHM_"+p.Rhythm]),
		OwnerAccountId:        r.OwnerAccountID,
	}
	out.ServicesOffered = person.ServicesToProto(p.ServicesOffered)
	return out
}

func applicationProfile(a *application.Application) *studentseventsv1.ApplicationProfile {
	r := a.Record()
	p := r.Preferences
	return &studentseventsv1.ApplicationProfile{
		ApplicationId: r.ID,
		StudentId:     r.StudentID,
		ProgrammeId:   r.ProgrammeID,
		Status:        string(r.Status),
		BudgetCents:   int32(p.BudgetCents),
		MoveInDate:    p.MoveIn.String(),
		MoveOutDate:   p.MoveOut.String(),
		RoomId:        p.RoomID,
		Areas:         p.Areas,
	}
}

func studentEvent(subject string, s *student.Student, at time.Time) (*eventsv1.Envelope, error) {
	var payload proto.Message
	prof := studentProfile(s, at)
	switch subject {
	case studentsevents.StudentRegistered.Subject:
		payload = &studentseventsv1.StudentRegistered{Student: prof}
	case studentsevents.StudentUpdated.Subject:
		payload = &studentseventsv1.StudentUpdated{Student: prof}
	case studentsevents.StudentVerified.Subject:
		payload = &studentseventsv1.StudentVerified{Student: prof, VerifiedByAccountId: s.Record().VerifiedBy}
	default:
		payload = &studentseventsv1.StudentStatusChanged{Student: prof}
	}
	return event.New(subject, s.ProgrammeID(), at, payload)
}

func applicationEvent(subject string, a *application.Application, s *student.Student, at time.Time) (*eventsv1.Envelope, error) {
	var payload proto.Message
	prof := applicationProfile(a)
	switch subject {
	case studentsevents.ApplicationSubmitted.Subject:
		// Matching scores the application at once, so it travels with its student.
		payload = &studentseventsv1.ApplicationSubmitted{Application: prof, Student: studentProfile(s, at)}
	case studentsevents.ApplicationWithdrawn.Subject:
		payload = &studentseventsv1.ApplicationWithdrawn{Application: prof}
	default:
		payload = &studentseventsv1.ApplicationStatusChanged{Application: prof}
	}
	return event.New(subject, a.ProgrammeID(), at, payload)
}

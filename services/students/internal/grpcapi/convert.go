// Package grpcapi is the students service's gRPC face: it translates between proto messages
// and the domain, and declares who may call each method.
package grpcapi

import (
	"google.golang.org/protobuf/types/known/timestamppb"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/person"
	"github.com/cohabit/cohabit/services/platform/protoenum"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

func profileFromProto(s *studentsv1.Student, v *errs.Violations) student.Profile {
	sp := s.GetStudyPlace()
	svcs := person.ServicesFromProto(v, "servicesOffered", s.GetServicesOffered())
	return student.Profile{
		DisplayName:          s.GetDisplayName(),
		BirthDate:            date.Field(v, "birthDate", s.GetBirthDate()),
		Email:                s.GetEmail(),
		Phone:                s.GetPhone(),
		Institution:          s.GetInstitution(),
		Studies:              s.GetStudies(),
		StudyPlace:           student.StudyPlace{Lat: sp.GetLat(), Lng: sp.GetLng(), City: sp.GetCity(), Postcode: sp.GetPostcode()},
		MaxCommuteKm:         int(s.GetMaxCommuteKm()),
		Languages:            s.GetLanguages(),
		Smokes:               s.GetSmokes(),
		HasPets:              s.GetHasPets(),
		AcceptsSmokers:       s.GetAcceptsSmokers(),
		AcceptsPets:          s.GetAcceptsPets(),
		Gender:               protoenum.Name(s.GetGender(), typev1.Gender_name, "GENDER_"),
		ServicesOffered:      svcs,
		HoursOfferedPerWeek:  int(s.GetHoursOfferedPerWeek()),
		NightsPresentPerWeek: int(s.GetNightsPresentPerWeek()),
		Rhythm:               protoenum.Name(s.GetRhythm(), typev1.Rhythm_name, "RHYTHM_"),
		Motivation:           s.GetMotivation(),
	}
}

func studentToProto(s *student.Student) *studentsv1.Student {
	r := s.Record()
	p := r.Profile
	out := &studentsv1.Student{
		Id:                    r.ID,
		ProgrammeId:           r.ProgrammeID,
		Status:                studentsv1.StudentStatus(studentsv1.StudentStatus_value["STUDENT_STATUS_"+string(r.Status)]),
		DisplayName:           p.DisplayName,
		BirthDate:             p.BirthDate.String(),
		Email:                 p.Email,
		Phone:                 p.Phone,
		Institution:           p.Institution,
		Studies:               p.Studies,
		StudyPlace:            &studentsv1.StudyPlace{Lat: p.StudyPlace.Lat, Lng: p.StudyPlace.Lng, City: p.StudyPlace.City, Postcode: p.StudyPlace.Postcode, Approximate: p.StudyPlace.Approximate},
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
		Motivation:            p.Motivation,
		OwnerAccountId:        r.OwnerAccountID,
		RegisteredByAccountId: r.RegisteredBy,
		Etag:                  s.Etag(),
		CreateTime:            timestamppb.New(r.CreatedAt),
		UpdateTime:            timestamppb.New(r.UpdatedAt),
	}
	out.ServicesOffered = person.ServicesToProto(p.ServicesOffered)
	if !r.VerifiedAt.IsZero() {
		out.VerifiedTime = timestamppb.New(r.VerifiedAt)
	}
	return out
}

func preferencesFromProto(a *studentsv1.Application, v *errs.Violations) application.Preferences {
	return application.Preferences{
		BudgetCents: int(a.GetBudgetCents()),
		MoveIn:      date.Field(v, "moveInDate", a.GetMoveInDate()),
		MoveOut:     date.Field(v, "moveOutDate", a.GetMoveOutDate()),
		RoomID:      a.GetRoomId(),
		Areas:       a.GetAreas(),
	}
}

func applicationToProto(a *application.Application) *studentsv1.Application {
	r := a.Record()
	p := r.Preferences
	return &studentsv1.Application{
		Id:          r.ID,
		ProgrammeId: r.ProgrammeID,
		StudentId:   r.StudentID,
		Status:      studentsv1.ApplicationStatus(studentsv1.ApplicationStatus_value["APPLICATION_STATUS_"+string(r.Status)]),
		BudgetCents: int32(p.BudgetCents),
		MoveInDate:  p.MoveIn.String(),
		MoveOutDate: p.MoveOut.String(),
		RoomId:      p.RoomID,
		Areas:       p.Areas,
		Etag:        a.Etag(),
		CreateTime:  timestamppb.New(r.CreatedAt),
		UpdateTime:  timestamppb.New(r.UpdatedAt),
	}
}

func studentStatusFromProto(s studentsv1.StudentStatus) student.Status {
	return student.Status(protoenum.Name(s, studentsv1.StudentStatus_name, "STUDENT_STATUS_"))
}

package grpcapi

import (
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/fieldmask"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

// Fields a client may change, by update_mask path (proto names, as grpc-gateway derives them
// from a PATCH body). Status, ids and ownership are changed only by their own methods.
var studentMask = fieldmask.Setters[student.Profile]{
	"display_name":            func(d *student.Profile, s student.Profile) { d.DisplayName = s.DisplayName },
	"birth_date":              func(d *student.Profile, s student.Profile) { d.BirthDate = s.BirthDate },
	"email":                   func(d *student.Profile, s student.Profile) { d.Email = s.Email },
	"phone":                   func(d *student.Profile, s student.Profile) { d.Phone = s.Phone },
	"institution":             func(d *student.Profile, s student.Profile) { d.Institution = s.Institution },
	"studies":                 func(d *student.Profile, s student.Profile) { d.Studies = s.Studies },
	"study_place":             func(d *student.Profile, s student.Profile) { d.StudyPlace = s.StudyPlace },
	"study_place.lat":         func(d *student.Profile, s student.Profile) { d.StudyPlace.Lat = s.StudyPlace.Lat },
	"study_place.lng":         func(d *student.Profile, s student.Profile) { d.StudyPlace.Lng = s.StudyPlace.Lng },
	"study_place.city":        func(d *student.Profile, s student.Profile) { d.StudyPlace.City = s.StudyPlace.City },
	"study_place.postcode":    func(d *student.Profile, s student.Profile) { d.StudyPlace.Postcode = s.StudyPlace.Postcode },
	"max_commute_km":          func(d *student.Profile, s student.Profile) { d.MaxCommuteKm = s.MaxCommuteKm },
	"languages":               func(d *student.Profile, s student.Profile) { d.Languages = s.Languages },
	"smokes":                  func(d *student.Profile, s student.Profile) { d.Smokes = s.Smokes },
	"has_pets":                func(d *student.Profile, s student.Profile) { d.HasPets = s.HasPets },
	"accepts_smokers":         func(d *student.Profile, s student.Profile) { d.AcceptsSmokers = s.AcceptsSmokers },
	"accepts_pets":            func(d *student.Profile, s student.Profile) { d.AcceptsPets = s.AcceptsPets },
	"gender":                  func(d *student.Profile, s student.Profile) { d.Gender = s.Gender },
	"services_offered":        func(d *student.Profile, s student.Profile) { d.ServicesOffered = s.ServicesOffered },
	"hours_offered_per_week":  func(d *student.Profile, s student.Profile) { d.HoursOfferedPerWeek = s.HoursOfferedPerWeek },
	"nights_present_per_week": func(d *student.Profile, s student.Profile) { d.NightsPresentPerWeek = s.NightsPresentPerWeek },
	"rhythm":                  func(d *student.Profile, s student.Profile) { d.Rhythm = s.Rhythm },
	"motivation":              func(d *student.Profile, s student.Profile) { d.Motivation = s.Motivation },
}

// ignored are paths a client may echo back from a GET without meaning to change them.
var ignored = map[string]bool{"id": true, "etag": true, "programme_id": true, "status": true, "create_time": true,
	"update_time": true, "owner_account_id": true, "registered_by_account_id": true, "verified_time": true}

func studentChange(in *studentsv1.UpdateStudentRequest) (func(*student.Profile) error, error) {
	return studentMask.Parse(in.GetUpdateMask(), func(v *errs.Violations) student.Profile { return profileFromProto(in.GetStudent(), v) }, ignored)
}

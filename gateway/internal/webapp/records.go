package webapp

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// HostSpec is the host registration form, for a coordinator (assisted) and for a host
// herself; the consent box is the coordinator's only.
var HostSpec = FormSpec{
	{Name: "displayName", Label: "hostForm.displayName", API: "displayName"},
	{Name: "birthDate", Label: "hostForm.birthDate", API: "birthDate"},
	{Name: "phone", Label: "hostForm.phone", API: "phone"},
	{Name: "email", Label: "hostForm.email", API: "email"},
	{Name: "line1", Label: "hostForm.line1", API: "address.line1"},
	{Name: "postcode", Label: "hostForm.postcode", API: "address.postcode"},
	{Name: "city", Label: "hostForm.city", API: "address.city"},
	{Name: "lat", Label: "hostForm.lat", API: "address.lat"},
	{Name: "lng", Label: "hostForm.lng", API: "address.lng"},
	{Name: "languages", Label: "hostForm.languages", API: "languages"},
	{Name: "servicesWanted", Label: "hostForm.servicesWanted", API: "servicesWanted"},
	{Name: "hoursWantedPerWeek", Label: "hostForm.hours", API: "hoursWantedPerWeek"},
	{Name: "nightsWantedPerWeek", Label: "hostForm.nights", API: "nightsWantedPerWeek"},
	{Name: "rhythm", Label: "hostForm.rhythm", API: "rhythm"},
	{Name: "genderPreference", Label: "hostForm.genderPreference", API: "genderPreference"},
	{Name: "smokes", Label: "hostForm.smokes", API: "smokes"},
	{Name: "hasPets", Label: "hostForm.hasPets", API: "hasPets"},
	{Name: "isTenant", Label: "hostForm.isTenant", API: "isTenant"},
	{Name: "landlordInformed", Label: "hostForm.landlordInformed", API: "landlordInformed"},
	{Name: "guardianship", Label: "hostForm.guardianship", API: "guardianship"},
	{Name: "repName", Label: "hostForm.rep.name", API: "legalRepresentative.name"},
	{Name: "repRelationship", Label: "hostForm.rep.relationship", API: "legalRepresentative.relationship"},
	{Name: "repPhone", Label: "hostForm.rep.phone", API: "legalRepresentative.phone"},
	{Name: "repEmail", Label: "hostForm.rep.email", API: "legalRepresentative.email"},
	{Name: "consentRecorded", Label: "hostForm.consent", API: "consentRecorded"},
}

// HostFromForm reads the host form; coordinates left empty take the town's centre.
func HostFromForm(f *Form) *hostsv1.Host {
	h := &hostsv1.Host{
		DisplayName: f.Value("displayName"),
		BirthDate:   f.Date("birthDate"),
		Phone:       f.Value("phone"),
		Email:       f.Value("email"),
		Address: &hostsv1.Address{
			Line1: f.Value("line1"), Postcode: f.Value("postcode"), City: f.Value("city"),
			Lat: f.Float("lat"), Lng: f.Float("lng"),
		},
		Languages:           f.languages("languages"),
		Smokes:              f.Checked("smokes"),
		HasPets:             f.Checked("hasPets"),
		HoursWantedPerWeek:  f.Int32("hoursWantedPerWeek"),
		NightsWantedPerWeek: f.Int32("nightsWantedPerWeek"),
		Rhythm:              typev1.Rhythm(typev1.Rhythm_value[f.Value("rhythm")]),
		GenderPreference:    typev1.Gender(typev1.Gender_value[f.Value("genderPreference")]),
		IsTenant:            f.Checked("isTenant"),
		LandlordInformed:    f.Checked("landlordInformed"),
	}
	h.ServicesWanted = f.services("servicesWanted")
	// A host under guardianship (tutelle, curatelle) has her legal representative recorded:
	// consulted, and signs with or for her (SPEC §2). "None" clears the representative.
	h.Guardianship = hostsv1.Guardianship(hostsv1.Guardianship_value[f.Value("guardianship")])
	if h.Guardianship == hostsv1.Guardianship_GUARDIANSHIP_TUTELLE || h.Guardianship == hostsv1.Guardianship_GUARDIANSHIP_CURATELLE {
		h.LegalRepresentative = &hostsv1.LegalRepresentative{
			Name: f.Value("repName"), Relationship: f.Value("repRelationship"), Phone: f.Value("repPhone"), Email: f.Value("repEmail"),
		}
	}
	// Coordinates left empty stay 0: the hosts service places the address at its commune's
	// centre (from postcode and town) and marks it approximate.
	return h
}

// HostFormDefaults are a new host form's values; requestId makes a resubmitted form create
// the host once.
func HostFormDefaults() url.Values {
	return url.Values{"languages": {"fr"}, "hoursWantedPerWeek": {"0"}, "nightsWantedPerWeek": {"0"}, "requestId": {NewToken()}}
}

// HostPaths are the update_mask paths of the host form: every field it shows, so what the
// coordinator cleared is cleared. Assisted mode and consent are set at registration.
var HostPaths = []string{
	"display_name", "birth_date", "phone", "email", "address", "languages", "smokes", "has_pets",
	"services_wanted", "hours_wanted_per_week", "nights_wanted_per_week", "rhythm", "gender_preference",
	"is_tenant", "landlord_informed", "guardianship", "legal_representative",
}

// HostValues fills the host form from the record: the inverse of hostFromForm.
func HostValues(h *hostsv1.Host) url.Values {
	ad := h.GetAddress()
	v := url.Values{
		"displayName": {h.GetDisplayName()}, "birthDate": {h.GetBirthDate()}, "phone": {h.GetPhone()}, "email": {h.GetEmail()},
		"line1": {ad.GetLine1()}, "postcode": {ad.GetPostcode()}, "city": {ad.GetCity()},
		"lat": {coordinate(ad.GetLat(), ad.GetApproximate())}, "lng": {coordinate(ad.GetLng(), ad.GetApproximate())},
		"languages":           {strings.Join(h.GetLanguages(), ", ")},
		"hoursWantedPerWeek":  {strconv.Itoa(int(h.GetHoursWantedPerWeek()))},
		"nightsWantedPerWeek": {strconv.Itoa(int(h.GetNightsWantedPerWeek()))},
		"etag":                {h.GetEtag()},
	}
	if rep := h.GetLegalRepresentative(); rep != nil {
		v.Set("repName", rep.GetName())
		v.Set("repRelationship", rep.GetRelationship())
		v.Set("repPhone", rep.GetPhone())
		v.Set("repEmail", rep.GetEmail())
	}
	setChoices(v, map[string]enum{"guardianship": h.GetGuardianship(), "rhythm": h.GetRhythm(), "genderPreference": h.GetGenderPreference()},
		"servicesWanted", h.GetServicesWanted(),
		map[string]bool{"smokes": h.GetSmokes(), "hasPets": h.GetHasPets(), "isTenant": h.GetIsTenant(), "landlordInformed": h.GetLandlordInformed()})
	return v
}

// updateHost is the update of host id from the edit form, with every field of the form in the mask.
func updateHost(f *Form, id string) *hostsv1.UpdateHostRequest {
	h := HostFromForm(f)
	h.Id, h.Etag = id, f.Value("etag")
	return &hostsv1.UpdateHostRequest{Host: h, UpdateMask: &fieldmaskpb.FieldMask{Paths: HostPaths}}
}

// sendHost sends a host's update.
func sendHost(a *App, ctx context.Context, req *hostsv1.UpdateHostRequest) (*hostsv1.Host, error) {
	return a.Svc.Hosts.UpdateHost(ctx, req)
}

// HostEditor completes e, an editor of a host's record (the coordinator's, or her own), with
// what they all share: the form, how the page names her, the update read from the form and
// its sending.
func HostEditor(e Editor[*hostsv1.Host, *hostsv1.UpdateHostRequest]) Editor[*hostsv1.Host, *hostsv1.UpdateHostRequest] {
	e.Spec, e.Kind, e.Name = HostSpec, "host", (*hostsv1.Host).GetDisplayName
	e.Values, e.Request, e.Send = HostValues, updateHost, sendHost
	return e
}

// StudentSpec is the student registration form, for a coordinator and for a student herself.
var StudentSpec = FormSpec{
	{Name: "displayName", Label: "studentForm.displayName", API: "displayName"},
	{Name: "birthDate", Label: "studentForm.birthDate", API: "birthDate"},
	{Name: "email", Label: "studentForm.email", API: "email"},
	{Name: "phone", Label: "studentForm.phone", API: "phone"},
	{Name: "institution", Label: "studentForm.institution", API: "institution"},
	{Name: "studies", Label: "studentForm.studies", API: "studies"},
	{Name: "studyCity", Label: "studentForm.studyCity", API: "studyPlace.city"},
	{Name: "studyPostcode", Label: "studentForm.studyPostcode", API: "studyPlace.postcode"},
	{Name: "studyLat", Label: "studentForm.studyLat", API: "studyPlace.lat"},
	{Name: "studyLng", Label: "studentForm.studyLng", API: "studyPlace.lng"},
	{Name: "maxCommuteKm", Label: "studentForm.maxCommute", API: "maxCommuteKm"},
	{Name: "languages", Label: "studentForm.languages", API: "languages"},
	{Name: "servicesOffered", Label: "studentForm.services", API: "servicesOffered"},
	{Name: "hoursOfferedPerWeek", Label: "studentForm.hours", API: "hoursOfferedPerWeek"},
	{Name: "nightsPresentPerWeek", Label: "studentForm.nights", API: "nightsPresentPerWeek"},
	{Name: "rhythm", Label: "studentForm.rhythm", API: "rhythm"},
	{Name: "gender", Label: "studentForm.gender", API: "gender"},
	{Name: "smokes", Label: "studentForm.smokes", API: "smokes"},
	{Name: "hasPets", Label: "studentForm.hasPets", API: "hasPets"},
	{Name: "acceptsSmokers", Label: "studentForm.acceptsSmokers", API: "acceptsSmokers"},
	{Name: "acceptsPets", Label: "studentForm.acceptsPets", API: "acceptsPets"},
	{Name: "motivation", Label: "studentForm.motivation", API: "motivation"},
}

// StudentFromForm reads the student form; coordinates left empty take the town's centre.
func StudentFromForm(f *Form) *studentsv1.Student {
	s := &studentsv1.Student{
		DisplayName:          f.Value("displayName"),
		BirthDate:            f.Date("birthDate"),
		Email:                f.Value("email"),
		Phone:                f.Value("phone"),
		Institution:          f.Value("institution"),
		Studies:              f.Value("studies"),
		StudyPlace:           &studentsv1.StudyPlace{City: f.Value("studyCity"), Postcode: f.Value("studyPostcode"), Lat: f.Float("studyLat"), Lng: f.Float("studyLng")},
		MaxCommuteKm:         f.Int32("maxCommuteKm"),
		Languages:            f.languages("languages"),
		Smokes:               f.Checked("smokes"),
		HasPets:              f.Checked("hasPets"),
		AcceptsSmokers:       f.Checked("acceptsSmokers"),
		AcceptsPets:          f.Checked("acceptsPets"),
		Gender:               typev1.Gender(typev1.Gender_value[f.Value("gender")]),
		HoursOfferedPerWeek:  f.Int32("hoursOfferedPerWeek"),
		NightsPresentPerWeek: f.Int32("nightsPresentPerWeek"),
		Rhythm:               typev1.Rhythm(typev1.Rhythm_value[f.Value("rhythm")]),
		Motivation:           f.Value("motivation"),
	}
	s.ServicesOffered = f.services("servicesOffered")
	// Coordinates left empty stay 0: the students service places the place of study at its
	// commune's centre (from the town, or "69007 Lyon") and marks it approximate.
	return s
}

// studentPaths are the update_mask paths of the profile form: every field it shows, so what
// the coordinator cleared is cleared. Status and ownership have their own methods.
var studentPaths = []string{
	"display_name", "birth_date", "email", "phone", "institution", "studies", "study_place", "max_commute_km",
	"languages", "services_offered", "hours_offered_per_week", "nights_present_per_week", "rhythm", "gender",
	"smokes", "has_pets", "accepts_smokers", "accepts_pets", "motivation",
}

// studentValues fills the profile form from the record: the inverse of studentFromForm.
func studentValues(s *studentsv1.Student) url.Values {
	v := url.Values{
		"displayName": {s.GetDisplayName()}, "birthDate": {s.GetBirthDate()}, "email": {s.GetEmail()},
		"phone": {s.GetPhone()}, "institution": {s.GetInstitution()}, "studies": {s.GetStudies()},
		"studyCity": {s.GetStudyPlace().GetCity()}, "studyPostcode": {s.GetStudyPlace().GetPostcode()},
		"studyLat":     {coordinate(s.GetStudyPlace().GetLat(), s.GetStudyPlace().GetApproximate())},
		"studyLng":     {coordinate(s.GetStudyPlace().GetLng(), s.GetStudyPlace().GetApproximate())},
		"maxCommuteKm": {strconv.Itoa(int(s.GetMaxCommuteKm()))}, "languages": {strings.Join(s.GetLanguages(), ", ")},
		"hoursOfferedPerWeek":  {strconv.Itoa(int(s.GetHoursOfferedPerWeek()))},
		"nightsPresentPerWeek": {strconv.Itoa(int(s.GetNightsPresentPerWeek()))},
		"motivation":           {s.GetMotivation()}, "etag": {s.GetEtag()},
	}
	setChoices(v, map[string]enum{"rhythm": s.GetRhythm(), "gender": s.GetGender()},
		"servicesOffered", s.GetServicesOffered(),
		map[string]bool{"smokes": s.GetSmokes(), "hasPets": s.GetHasPets(), "acceptsSmokers": s.GetAcceptsSmokers(), "acceptsPets": s.GetAcceptsPets()})
	return v
}

// updateStudent is the update of student id from the edit form, with every field of the form in the mask.
func updateStudent(f *Form, id string) *studentsv1.UpdateStudentRequest {
	s := StudentFromForm(f)
	s.Id, s.Etag = id, f.Value("etag")
	return &studentsv1.UpdateStudentRequest{Student: s, UpdateMask: &fieldmaskpb.FieldMask{Paths: studentPaths}}
}

// sendStudent sends a student's update.
func sendStudent(a *App, ctx context.Context, req *studentsv1.UpdateStudentRequest) (*studentsv1.Student, error) {
	return a.Svc.Students.UpdateStudent(ctx, req)
}

// StudentEditor completes e, an editor of a student's record (the coordinator's, or her
// own), as HostEditor does a host's.
func StudentEditor(e Editor[*studentsv1.Student, *studentsv1.UpdateStudentRequest]) Editor[*studentsv1.Student, *studentsv1.UpdateStudentRequest] {
	e.Spec, e.Kind, e.Name = StudentSpec, "student", (*studentsv1.Student).GetDisplayName
	e.Values, e.Request, e.Send = studentValues, updateStudent, sendStudent
	return e
}

// services reads the services ticked in the form's field name; a name the API does not know
// is left out.
func (f *Form) services(name string) []typev1.Service {
	var out []typev1.Service
	for _, s := range f.Values[name] {
		if v, ok := typev1.Service_value[s]; ok {
			out = append(out, typev1.Service(v))
		}
	}
	return out
}

// enum is a record's choice among named values, 0 when none is made.
type enum interface {
	Number() protoreflect.EnumNumber
	String() string
}

// setChoices puts a record's choices in its form's values, the inverse of reading them: each
// enum made under its field (none leaves the form's "none"), the services, one value each
// under the field services, and the boxes ticked.
func setChoices(v url.Values, enums map[string]enum, services string, ss []typev1.Service, boxes map[string]bool) {
	for name, e := range enums {
		if e.Number() != 0 {
			v.Set(name, e.String())
		}
	}
	for _, s := range ss {
		v.Add(services, s.String())
	}
	for name, on := range boxes {
		if on {
			v.Set(name, "on")
		}
	}
}

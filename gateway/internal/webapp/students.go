package webapp

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// studentPageData is what a coordinator sees of one student: her profile, her applications
// (one open at most), her matches and, while she waits in the pool, the rooms that fit her.
// A student registered on her behalf has no account: everything she would do on her own
// page the coordinator does here.
type studentPageData struct {
	Student      *studentsv1.Student
	Applications []*studentsv1.Application
	Open         *studentsv1.Application
	Matches      []*matchingv1.Match
	Suggestions  []*matchingv1.Suggestion
	CanApply     bool
	Cap          int32
}

func (a *App) loadStudentPage(ctx context.Context, r *http.Request, id string) (studentPageData, error) {
	var d studentPageData
	var prog *identityv1.Programme
	err := parallel(
		func() (err error) {
			d.Student, err = a.svc.students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
			return err
		},
		func() error {
			res, err := a.svc.students.ListApplications(ctx, &studentsv1.ListApplicationsRequest{StudentId: id, PageSize: listSize})
			d.Applications = res.GetApplications()
			return err
		},
		func() error {
			res, err := a.svc.matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{StudentId: id, PageSize: listSize})
			d.Matches = res.GetMatches()
			return err
		},
		func() (err error) { prog, err = a.programmeOf(ctx, r); return err },
	)
	if err != nil {
		return d, err
	}
	d.Cap = prog.GetSettings().GetContributionCapCents()
	d.Open = openApplication(d.Applications)
	d.CanApply = d.Open == nil && d.Student.GetStatus() == studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED
	if d.Open.GetStatus() == studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED {
		// The pool follows events: a moment after she applies she may not be in it yet.
		res, err := a.svc.matching.ListSuggestions(ctx, &matchingv1.ListSuggestionsRequest{StudentId: id, PageSize: 5})
		if err != nil && status.Code(err) != codes.FailedPrecondition {
			return d, err
		}
		d.Suggestions = res.GetSuggestions()
	}
	return d, nil
}

func (a *App) studentPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	d, err := a.loadStudentPage(ctx, r, r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.renderStudentPage(w, r, http.StatusOK, d, newForm(applySpec, url.Values{"requestId": {NewToken()}}))
}

func (a *App) renderStudentPage(w http.ResponseWriter, r *http.Request, code int, d studentPageData, f *form) {
	p := a.newPage(w, r, "student.title", d)
	p.Title = d.Student.GetDisplayName()
	p.Nav = "students"
	p.Form = f
	p.Desk = a.notesOf(r, a.documentsOf(r, d.Student.GetId(), true, "/coordinator/documents"), d.Student.GetId(), deskv1.SubjectType_SUBJECT_TYPE_STUDENT)
	// The page may answer a POST (an application refused): its forms come back to the page.
	p.Desk.Back = "/coordinator/students/" + url.PathEscape(d.Student.GetId())
	a.render(w, r, code, "coord_student", p)
}

// studentApply submits an application on the student's behalf; a refusal shows next to
// its field on her page.
func (a *App) studentApply(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := a.call(r)
	defer cancel()
	f := newForm(applySpec, r.PostForm)
	if f.ok() {
		_, err := a.svc.students.CreateApplication(ctx, &studentsv1.CreateApplicationRequest{
			StudentId: id, Application: applicationFromForm(f), RequestId: f.Value("requestId"),
		})
		if err == nil {
			setFlash(w, r, flash{Kind: "ok", Key: "student.applied"})
			redirect(w, r, "/coordinator/students/"+url.PathEscape(id)+"#applications")
			return
		}
		if !f.fromStatus(err, a.Cat.Loc(stateOf(r.Context()).lang, a.TZ)) {
			key, detail, ok := a.actionError(err)
			if !ok {
				a.fail(w, r, err)
				return
			}
			f.fieldError("", key, detail)
		}
	}
	d, err := a.loadStudentPage(ctx, r, id)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.renderStudentPage(w, r, http.StatusBadRequest, d, f)
}

// applicationWithdraw withdraws an open application: the student's own, or, for a
// coordinator, one of her programme's (the students service decides who may).
func (a *App) applicationWithdraw(back string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.call(r)
		defer cancel()
		_, err := a.svc.students.WithdrawApplication(ctx, &studentsv1.WithdrawApplicationRequest{Id: r.PathValue("id")})
		a.afterAction(w, r, err, "application.withdrawn", back)
	}
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
	if s.GetRhythm() != 0 {
		v.Set("rhythm", s.GetRhythm().String())
	}
	if s.GetGender() != 0 {
		v.Set("gender", s.GetGender().String())
	}
	for _, sv := range s.GetServicesOffered() {
		v.Add("servicesOffered", sv.String())
	}
	for name, on := range map[string]bool{"smokes": s.GetSmokes(), "hasPets": s.GetHasPets(), "acceptsSmokers": s.GetAcceptsSmokers(), "acceptsPets": s.GetAcceptsPets()} {
		if on {
			v.Set(name, "on")
		}
	}
	return v
}

// studentEditor is the coordinator's form to correct a student's record.
var studentEditor = editor[*studentsv1.Student, *studentsv1.UpdateStudentRequest]{
	spec: studentSpec, kind: "student", nav: "students", key: "studentEdit", find: byPath(getStudent), name: (*studentsv1.Student).GetDisplayName,
	back:   func(s *studentsv1.Student) string { return "/coordinator/students/" + url.PathEscape(s.GetId()) },
	action: func(id string) string { return "/coordinator/students/" + url.PathEscape(id) + "/edit" },
	values: studentValues, request: updateStudent, send: sendStudent,
}

// myStudentEditor is the student's own profile form, once she has one.
var myStudentEditor = editor[*studentsv1.Student, *studentsv1.UpdateStudentRequest]{
	spec: studentSpec, kind: "student", nav: "home", key: "myStudentEdit", create: "/student/profile",
	name: (*studentsv1.Student).GetDisplayName,
	find: func(a *App, ctx context.Context, r *http.Request) (*studentsv1.Student, error) {
		return a.myStudent(ctx, stateOf(r.Context()).me)
	},
	back:   func(*studentsv1.Student) string { return "/student" },
	action: func(string) string { return "/student/profile/edit" },
	values: studentValues, request: updateStudent, send: sendStudent,
}

func getStudent(a *App, ctx context.Context, id string) (*studentsv1.Student, error) {
	return a.svc.students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
}

func updateStudent(f *form, id string) *studentsv1.UpdateStudentRequest {
	s := studentFromForm(f)
	s.Id, s.Etag = id, f.Value("etag")
	return &studentsv1.UpdateStudentRequest{Student: s, UpdateMask: &fieldmaskpb.FieldMask{Paths: studentPaths}}
}

func sendStudent(a *App, ctx context.Context, req *studentsv1.UpdateStudentRequest) (*studentsv1.Student, error) {
	return a.svc.students.UpdateStudent(ctx, req)
}

// studentArchive closes a student's record for good (she left the programme); the students
// service refuses it while she is placed, said in the flash.
func (a *App) studentArchive(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.students.ArchiveStudent(ctx, &studentsv1.ArchiveStudentRequest{Id: r.PathValue("id")})
	a.afterAction(w, r, err, "student.archived", "/coordinator/students/"+url.PathEscape(r.PathValue("id")))
}

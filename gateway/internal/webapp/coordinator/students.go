package coordinator

import (
	"context"
	"net/http"
	"net/url"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

func studentURL(id string) string { return "/coordinator/students/" + url.PathEscape(id) }

type studentsListData struct {
	Students []*studentsv1.Student
	More     bool
}

func (a *app) studentsList(w http.ResponseWriter, r *http.Request) {
	listPage(a, w, r, "students", studentsv1.StudentStatus_value, true, func(ctx context.Context, st studentsv1.StudentStatus, q string) (any, error) {
		res, err := a.Svc.Students.ListStudents(ctx, &studentsv1.ListStudentsRequest{PageSize: webapp.ListSize, Status: st, Query: q})
		return studentsListData{Students: res.GetStudents(), More: res.GetNextPageToken() != ""}, err
	})
}

func (a *app) studentVerify(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Students.VerifyStudent(ctx, &studentsv1.VerifyStudentRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "students.verified", "/coordinator/students")
}

// studentFormDefaults are a new student form's values (the coordinator's: no e-mail of hers).
func studentFormDefaults() url.Values {
	return url.Values{
		"languages": {"fr"}, "maxCommuteKm": {"10"}, "hoursOfferedPerWeek": {"0"}, "nightsPresentPerWeek": {"0"},
		"requestId": {webapp.NewToken()},
	}
}

// studentNew is the coordinator's form to register a student.
var studentNew = webapp.Registration{Spec: webapp.StudentSpec, Prefix: "studentNew", Nav: "students", Template: "coord_student_new", Path: "/coordinator/students/new"}

func (a *app) studentNewPage(w http.ResponseWriter, r *http.Request) {
	studentNew.Show(a.App, w, r, studentFormDefaults())
}

// studentCreate registers a student on her behalf, with her agreement (the page says so);
// the same fields as her own profile form. She is then to be verified like any other.
func (a *app) studentCreate(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(webapp.StudentSpec, r.PostForm)
	s := webapp.StudentFromForm(f)
	studentNew.Submit(a.App, w, r, f, func(ctx context.Context) (string, error) {
		_, err := a.Svc.Students.CreateStudent(ctx, &studentsv1.CreateStudentRequest{Student: s, RequestId: f.Value("requestId")})
		return "/coordinator/students?status=STUDENT_STATUS_PENDING_VERIFICATION", err
	})
}

func (a *app) studentInvite(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Identity.InviteStudent(ctx, &identityv1.InviteStudentRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "invite.done", studentURL(r.PathValue("id")))
}

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

func (a *app) loadStudentPage(ctx context.Context, r *http.Request, id string) (studentPageData, error) {
	var d studentPageData
	var prog *identityv1.Programme
	err := webapp.Parallel(
		func() (err error) {
			d.Student, err = a.Svc.Students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
			return err
		},
		func() error {
			res, err := a.Svc.Students.ListApplications(ctx, &studentsv1.ListApplicationsRequest{StudentId: id, PageSize: webapp.ListSize})
			d.Applications = res.GetApplications()
			return err
		},
		func() error {
			res, err := a.Svc.Matching.ListMatches(ctx, &matchingv1.ListMatchesRequest{StudentId: id, PageSize: webapp.ListSize})
			d.Matches = res.GetMatches()
			return err
		},
		func() (err error) { prog, err = a.ProgrammeOf(ctx, r); return err },
	)
	if err != nil {
		return d, err
	}
	d.Cap = prog.GetSettings().GetContributionCapCents()
	d.Open = webapp.OpenApplication(d.Applications)
	d.CanApply = d.Open == nil && d.Student.GetStatus() == studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED
	if d.Open.GetStatus() == studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED {
		// The pool follows events: a moment after she applies she may not be in it yet.
		res, err := a.Svc.Matching.ListSuggestions(ctx, &matchingv1.ListSuggestionsRequest{StudentId: id, PageSize: 5})
		if err != nil && status.Code(err) != codes.FailedPrecondition {
			return d, err
		}
		d.Suggestions = res.GetSuggestions()
	}
	return d, nil
}

func (a *app) studentPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	d, err := a.loadStudentPage(ctx, r, r.PathValue("id"))
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	a.renderStudentPage(w, r, http.StatusOK, d, webapp.NewForm(webapp.ApplySpec, url.Values{"requestId": {webapp.NewToken()}}))
}

func (a *app) renderStudentPage(w http.ResponseWriter, r *http.Request, code int, d studentPageData, f *webapp.Form) {
	p := a.NewPage(w, r, "student.title", d)
	p.Title = d.Student.GetDisplayName()
	p.Nav = "students"
	p.Form = f
	p.Desk = a.notesOf(r, a.DocumentsOf(r, d.Student.GetId(), true, "/coordinator/documents"), d.Student.GetId(), deskv1.SubjectType_SUBJECT_TYPE_STUDENT)
	// The page may answer a POST (an application refused): its forms come back to the page.
	p.Desk.Back = studentURL(d.Student.GetId())
	a.Render(w, r, code, "coord_student", p)
}

// studentApply submits an application on the student's behalf; a refusal shows next to
// its field on her page.
func (a *app) studentApply(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	ctx, cancel := a.Call(r)
	defer cancel()
	f := webapp.NewForm(webapp.ApplySpec, r.PostForm)
	if f.OK() {
		_, err := a.Svc.Students.CreateApplication(ctx, &studentsv1.CreateApplicationRequest{
			StudentId: id, Application: webapp.ApplicationFromForm(f), RequestId: f.Value("requestId"),
		})
		if err == nil {
			webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "student.applied"})
			webapp.Redirect(w, r, studentURL(id)+"#applications")
			return
		}
		if !f.FromStatus(err, a.Cat.Loc(webapp.StateOf(r.Context()).Lang, a.TZ)) {
			key, detail, ok := a.ActionError(err)
			if !ok {
				a.Fail(w, r, err)
				return
			}
			f.FieldError("", key, detail)
		}
	}
	d, err := a.loadStudentPage(ctx, r, id)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	a.renderStudentPage(w, r, http.StatusBadRequest, d, f)
}

// studentEditor is the coordinator's form to correct a student's record.
var studentEditor = webapp.StudentEditor(webapp.Editor[*studentsv1.Student, *studentsv1.UpdateStudentRequest]{
	Nav: "students", Prefix: "studentEdit", Find: byPath(getStudent),
	Back:   func(s *studentsv1.Student) string { return studentURL(s.GetId()) },
	Action: func(id string) string { return studentURL(id) + "/edit" },
})

func getStudent(a *webapp.App, ctx context.Context, id string) (*studentsv1.Student, error) {
	return a.Svc.Students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
}

// studentArchive closes a student's record for good (she left the programme); the students
// service refuses it while she is placed, said in the flash.
func (a *app) studentArchive(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Students.ArchiveStudent(ctx, &studentsv1.ArchiveStudentRequest{Id: r.PathValue("id")})
	a.AfterAction(w, r, err, "student.archived", studentURL(r.PathValue("id")))
}

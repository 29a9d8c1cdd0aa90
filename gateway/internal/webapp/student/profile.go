package student

import (
	"context"
	"net/http"
	"net/url"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

func (a *app) studentProfilePage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	if s, err := a.myStudent(ctx, webapp.StateOf(r.Context()).Me); err != nil || s != nil {
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		webapp.Redirect(w, r, "/student")
		return
	}
	myStudentNew.Show(a.App, w, r, url.Values{
		"email": {webapp.StateOf(r.Context()).Me.GetEmail()}, "languages": {"fr"}, "maxCommuteKm": {"10"},
		"hoursOfferedPerWeek": {"0"}, "nightsPresentPerWeek": {"0"}, "requestId": {webapp.NewToken()},
	})
}

// myStudentNew is the student's form to create her own profile; a refusal naming no field is
// said over it.
var myStudentNew = webapp.Registration{Spec: webapp.StudentSpec, Prefix: "studentProfile", Nav: "home", Template: "student_profile", Refusals: true}

func (a *app) studentProfileCreate(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(webapp.StudentSpec, r.PostForm)
	s := webapp.StudentFromForm(f)
	myStudentNew.Submit(a.App, w, r, f, func(ctx context.Context) (string, error) {
		_, err := a.Svc.Students.CreateStudent(ctx, &studentsv1.CreateStudentRequest{Student: s, RequestId: f.Value("requestId")})
		return "/student", err
	})
}

// myStudentEditor is the student's own profile form, once she has one.
var myStudentEditor = webapp.StudentEditor(webapp.Editor[*studentsv1.Student, *studentsv1.UpdateStudentRequest]{
	Nav: "home", Prefix: "myStudentEdit", Create: "/student/profile",
	Find: func(a *webapp.App, ctx context.Context, r *http.Request) (*studentsv1.Student, error) {
		return (&app{a}).myStudent(ctx, webapp.StateOf(r.Context()).Me)
	},
	Back:   func(*studentsv1.Student) string { return "/student" },
	Action: func(string) string { return "/student/profile/edit" },
})

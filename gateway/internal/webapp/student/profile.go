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
	p := a.NewPage(w, r, "studentProfile.title", nil)
	p.Nav = "home"
	p.Form = webapp.NewForm(webapp.StudentSpec, url.Values{
		"email": {webapp.StateOf(r.Context()).Me.GetEmail()}, "languages": {"fr"}, "maxCommuteKm": {"10"},
		"hoursOfferedPerWeek": {"0"}, "nightsPresentPerWeek": {"0"}, "requestId": {webapp.NewToken()},
	})
	a.Render(w, r, http.StatusOK, "student_profile", p)
}

func (a *app) studentProfileCreate(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(webapp.StudentSpec, r.PostForm)
	s := webapp.StudentFromForm(f)
	p := a.NewPage(w, r, "studentProfile.title", nil)
	p.Nav = "home"
	p.Form = f
	if !f.OK() {
		a.Render(w, r, http.StatusBadRequest, "student_profile", p)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	if _, err := a.Svc.Students.CreateStudent(ctx, &studentsv1.CreateStudentRequest{Student: s, RequestId: f.Value("requestId")}); err != nil {
		if f.FromStatus(err, p.L) {
			a.Render(w, r, http.StatusBadRequest, "student_profile", p)
			return
		}
		if key, _, ok := a.ActionError(err); ok {
			f.Global(key)
			a.Render(w, r, http.StatusBadRequest, "student_profile", p)
			return
		}
		a.Fail(w, r, err)
		return
	}
	webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "studentProfile.done"})
	webapp.Redirect(w, r, "/student")
}

// myStudentEditor is the student's own profile form, once she has one.
var myStudentEditor = webapp.Editor[*studentsv1.Student, *studentsv1.UpdateStudentRequest]{
	Spec: webapp.StudentSpec, Kind: "student", Nav: "home", Prefix: "myStudentEdit", Create: "/student/profile",
	Name: (*studentsv1.Student).GetDisplayName,
	Find: func(a *webapp.App, ctx context.Context, r *http.Request) (*studentsv1.Student, error) {
		return (&app{a}).myStudent(ctx, webapp.StateOf(r.Context()).Me)
	},
	Back:   func(*studentsv1.Student) string { return "/student" },
	Action: func(string) string { return "/student/profile/edit" },
	Values: webapp.StudentValues, Request: webapp.UpdateStudent, Send: webapp.SendStudent,
}

package student

import (
	"net/http"
	"net/url"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

type applyData struct {
	Cap int32
}

func (a *app) applyPage(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	prog, err := a.ProgrammeOf(ctx, r)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	p := a.NewPage(w, r, "apply.title", applyData{Cap: prog.GetSettings().GetContributionCapCents()})
	p.Nav = "home"
	p.Form = webapp.NewForm(webapp.ApplySpec, url.Values{"requestId": {webapp.NewToken()}})
	a.Render(w, r, http.StatusOK, "student_apply", p)
}

func (a *app) apply(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	defer cancel()
	var prog *identityv1.Programme
	var me *studentsv1.Student
	err := webapp.Parallel(
		func() (err error) { prog, err = a.ProgrammeOf(ctx, r); return err },
		func() (err error) { me, err = a.myStudent(ctx, webapp.StateOf(r.Context()).Me); return err },
	)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	if me == nil {
		webapp.Redirect(w, r, "/student/profile")
		return
	}
	f := webapp.NewForm(webapp.ApplySpec, r.PostForm)
	app := webapp.ApplicationFromForm(f)
	p := a.NewPage(w, r, "apply.title", applyData{Cap: prog.GetSettings().GetContributionCapCents()})
	p.Nav = "home"
	p.Form = f
	if f.OK() {
		_, err = a.Svc.Students.CreateApplication(ctx, &studentsv1.CreateApplicationRequest{StudentId: me.GetId(), Application: app, RequestId: f.Value("requestId")})
		if err == nil {
			webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "apply.done"})
			webapp.Redirect(w, r, "/student")
			return
		}
		if !f.FromStatus(err, p.L) {
			if key, detail, ok := a.ActionError(err); ok {
				f.FieldError("", key, detail)
			} else {
				a.Fail(w, r, err)
				return
			}
		}
	}
	a.Render(w, r, http.StatusBadRequest, "student_apply", p)
}

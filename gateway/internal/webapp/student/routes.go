package student

import (
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the student's pages.
func Register(core *webapp.App) {
	a := &app{core}
	student := func(h http.HandlerFunc) http.HandlerFunc { return a.Auth(webapp.RoleStudent, h) }
	a.Handle("GET /student", student(a.studentHome))
	a.Handle("GET /student/profile", student(a.studentProfilePage))
	a.Post("POST /student/profile", student(a.studentProfileCreate))
	a.Handle("GET /student/profile/edit", student(myStudentEditor.Show(core)))
	a.Post("POST /student/profile/edit", student(myStudentEditor.Save(core)))
	a.Handle("GET /student/apply", student(a.applyPage))
	a.Post("POST /student/apply", student(a.apply))
	a.Handle("GET /student/suggestions", student(a.suggestions))
	a.Post("POST /student/applications/{id}/withdraw", student(a.ApplicationWithdraw("/student")))
	a.Post("POST /student/matches/{id}/accept", student(a.AnswerMatch(true, "/student")))
	a.Post("POST /student/matches/{id}/decline", student(a.AnswerMatch(false, "/student")))
	a.Post("POST /student/contracts/{id}/sign", student(a.SignAs("/student")))
	a.Handle("GET /student/contracts/{id}/incident", student(a.IncidentPage))
	a.Post("POST /student/contracts/{id}/incident", student(a.IncidentCreate))
	a.PostFile("POST /student/documents/{id}/upload", student(a.DocumentUpload("/student")))
}

package student

import (
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the student's pages.
// Each group of routes is headed by the file of its handlers ("webapp/…": the core's, shared
// with other audiences).
func Register(core *webapp.App) {
	a := &app{core}
	student := func(h http.HandlerFunc) http.HandlerFunc { return a.Auth(webapp.RoleStudent, h) }
	// home.go
	a.Handle("GET /student", student(a.studentHome))
	// profile.go
	a.Handle("GET /student/profile", student(a.studentProfilePage))
	a.Post("POST /student/profile", student(a.studentProfileCreate))
	a.Handle("GET /student/profile/edit", student(myStudentEditor.Show(core)))
	a.Post("POST /student/profile/edit", student(myStudentEditor.Save(core)))
	// applications.go
	a.Handle("GET /student/apply", student(a.applyPage))
	a.Post("POST /student/apply", student(a.apply))
	// suggestions.go
	a.Handle("GET /student/suggestions", student(a.suggestions))
	// webapp/applications.go
	a.Post("POST /student/applications/{id}/withdraw", student(a.ApplicationWithdraw("/student")))
	// webapp/parties.go (PartyRoutes): what she does as a party, as a host does: answer a
	// match, sign a contract, report a problem, upload a document
	a.PartyRoutes("/student", webapp.RoleStudent)
}

package host

import (
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the host's pages.
func Register(core *webapp.App) {
	a := &app{core}
	host := func(h http.HandlerFunc) http.HandlerFunc { return a.Auth(webapp.RoleHost, h) }
	a.Handle("GET /host", host(a.hostHome))
	a.Handle("GET /host/profile", host(a.hostProfilePage))
	a.Post("POST /host/profile", host(a.hostProfileCreate))
	a.Handle("GET /host/profile/edit", host(myHostEditor.Show(core)))
	a.Post("POST /host/profile/edit", host(myHostEditor.Save(core)))
	a.Post("POST /host/matches/{id}/accept", host(a.AnswerMatch(true, "/host")))
	a.Post("POST /host/matches/{id}/decline", host(a.AnswerMatch(false, "/host")))
	a.Post("POST /host/contracts/{id}/sign", host(a.SignAs("/host")))
	a.Handle("GET /host/contracts/{id}/incident", host(a.IncidentPage))
	a.Post("POST /host/contracts/{id}/incident", host(a.IncidentCreate))
	a.PostFile("POST /host/documents/{id}/upload", host(a.DocumentUpload("/host")))
}

package host

import (
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the host's pages.
// Each group of routes is headed by the file of its handlers ("webapp/…": the core's, shared
// with other audiences).
func Register(core *webapp.App) {
	a := &app{core}
	host := func(h http.HandlerFunc) http.HandlerFunc { return a.Auth(webapp.RoleHost, h) }
	// home.go
	a.Handle("GET /host", host(a.hostHome))
	// profile.go
	a.Handle("GET /host/profile", host(a.hostProfilePage))
	a.Post("POST /host/profile", host(a.hostProfileCreate))
	a.Handle("GET /host/profile/edit", host(myHostEditor.Show(core)))
	a.Post("POST /host/profile/edit", host(myHostEditor.Save(core)))
	// webapp/parties.go (PartyRoutes): what she does as a party, as a student does: answer a
	// match, sign a contract, report a problem, upload a document
	a.PartyRoutes("/host", webapp.RoleHost)
}

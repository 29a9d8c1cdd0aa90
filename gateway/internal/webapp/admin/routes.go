package admin

import (
	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the administrator's pages.
// Each group of routes is headed by the file of its handlers ("webapp/…": the core's, shared
// with other audiences).
func Register(core *webapp.App) {
	a := &app{core}
	// home.go
	a.Handle("GET /admin", a.Auth(webapp.RoleAdmin, a.adminHome))
	// figures.go
	a.Handle("GET /admin/figures", a.Auth(webapp.RoleAdmin, a.adminFigures))
	a.Handle("GET /admin/figures.csv", a.Auth(webapp.RoleAdmin, a.adminFiguresCSV))
}

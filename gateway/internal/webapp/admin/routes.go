package admin

import (
	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the administrator's pages.
func Register(core *webapp.App) {
	a := &app{core}
	a.Handle("GET /admin", a.Auth(webapp.RoleAdmin, a.adminHome))
	a.Handle("GET /admin/figures", a.Auth(webapp.RoleAdmin, a.adminFigures))
	a.Handle("GET /admin/figures.csv", a.Auth(webapp.RoleAdmin, a.adminFiguresCSV))
}

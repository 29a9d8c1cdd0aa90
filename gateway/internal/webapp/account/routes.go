package account

import (
	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the pages of anyone: sign-in, sign-up, preferences, and what every signed-in person has.
// Each group of routes is headed by the file of its handlers ("webapp/…": the core's, shared
// with other audiences).
func Register(core *webapp.App) {
	a := &app{core}
	// login.go
	a.Handle("GET /{$}", a.home)
	a.Handle("GET /login", a.loginPage)
	a.Post("POST /login", a.login)
	a.Post("POST /logout", a.logout)
	// signup.go
	a.Handle("GET /signup", a.signupPage)
	a.Post("POST /signup", a.signup)
	// prefs.go
	a.Post("POST /prefs/lang", a.setLang)
	a.Post("POST /prefs/text", a.setText)
	// documents.go
	a.Handle("GET /contracts/{id}/document", a.Auth(webapp.RoleAny, a.contractDocument))
	a.Handle("GET /documents/{id}/file", a.Auth(webapp.RoleAny, a.WithDesk(a.documentFile)))
	// notifications.go
	a.Handle("GET /notifications/settings", a.Auth(webapp.RoleAny, a.WithNotifications(a.notificationSettingsPage)))
	a.Post("POST /notifications/settings", a.Auth(webapp.RoleAny, a.WithNotifications(a.notificationSettingsSave)))
	// export.go
	a.Handle("GET /me/export", a.Auth(webapp.RoleAny, a.myExport))
}

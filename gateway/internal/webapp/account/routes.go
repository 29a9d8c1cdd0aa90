package account

import (
	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// Register registers the pages of anyone: sign-in, sign-up, preferences, and what every signed-in person has.
func Register(core *webapp.App) {
	a := &app{core}
	a.Handle("GET /{$}", a.home)
	a.Handle("GET /login", a.loginPage)
	a.Post("POST /login", a.login)
	a.Handle("GET /signup", a.signupPage)
	a.Post("POST /signup", a.signup)
	a.Post("POST /logout", a.logout)
	a.Post("POST /prefs/lang", a.setLang)
	a.Post("POST /prefs/text", a.setText)
	a.Handle("GET /contracts/{id}/document", a.Auth(webapp.RoleAny, a.contractDocument))
	a.Handle("GET /notifications/settings", a.Auth(webapp.RoleAny, a.notificationSettingsPage))
	a.Post("POST /notifications/settings", a.Auth(webapp.RoleAny, a.notificationSettingsSave))
	a.Handle("GET /documents/{id}/file", a.Auth(webapp.RoleAny, a.documentFile))
	a.Handle("GET /me/export", a.Auth(webapp.RoleAny, a.myExport))
}

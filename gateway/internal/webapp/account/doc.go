// Package account holds the pages of anyone and of every signed-in person, whatever the role:
// the landing page, sign-in and sign-out (login.go), sign-up (signup.go), the language and
// large-type preferences (prefs.go), the notification settings (notifications.go), the
// person's own export (export.go), and the files a signed-in person downloads: a contract's
// document and a desk document (documents.go). Routes: routes.go.
package account

import "github.com/cohabit/cohabit/gateway/internal/webapp"

// app is the web application as the pages of anyone and of every signed-in person use it: the core's routing, sessions, rendering and
// service clients, with this package's handlers as methods.
type app struct{ *webapp.App }

// Package admin holds the administrator's pages (/admin): the home (home.go) and the
// network's figures with their CSV (figures.go). Routes: routes.go.
package admin

import "github.com/cohabit/cohabit/gateway/internal/webapp"

// app is the web application as the administrator's pages use it: the core's routing, sessions, rendering and
// service clients, with this package's handlers as methods.
type app struct{ *webapp.App }

// Package student holds the student's pages (/student): her home (home.go), her profile
// (profile.go), her application (applications.go) and the rooms suggested to her
// (suggestions.go). The forms she shares with the host (answer a match, sign, report an
// incident, upload a document) are the core's (webapp/parties.go, incidents.go,
// documents.go), registered by webapp.PartyRoutes. Routes: routes.go.
package student

import "github.com/cohabit/cohabit/gateway/internal/webapp"

// app is the web application as the student's pages use it: the core's routing, sessions, rendering and
// service clients, with this package's handlers as methods.
type app struct{ *webapp.App }

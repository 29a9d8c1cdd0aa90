// Package host holds the host's pages (/host): her home with her stays, matches to answer,
// contracts to sign and documents to send (home.go), and her profile, created then corrected
// (profile.go). The forms she shares with the student (answer a match, sign, report an
// incident, upload a document) are the core's (webapp/parties.go, incidents.go,
// documents.go), registered by webapp.PartyRoutes. Routes: routes.go.
package host

import "github.com/cohabit/cohabit/gateway/internal/webapp"

// app is the web application as the host's pages use it: the core's routing, sessions, rendering and
// service clients, with this package's handlers as methods.
type app struct{ *webapp.App }

// Package coordinator holds the coordinator's pages (/coordinator), one file per resource:
// dashboard.go (the home), hosts.go, students.go, rooms.go, candidates.go (a room's
// candidates and the proposal), matches.go, contracts.go, checkins.go, concerns.go (a
// check-in's concerns become incidents), incidents.go, allocations.go, association.go,
// documents.go and notes.go (the desk), agenda.go, notifications.go (sent notifications and
// calls to make), figures.go (its charts: charts.go) and privacy.go (a person's export and
// erasure). lists.go is the mechanism of the four lists (hosts, students, matches,
// contracts). Routes: routes.go, in the order of the dashboard's menu.
package coordinator

import (
	"context"
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// app is the web application as the coordinator's pages use it: the core's routing, sessions, rendering and
// service clients, with this package's handlers as methods.
type app struct{ *webapp.App }

// byPath is the find of the coordinator's editors (webapp.Editor): the record named in the address, read by get.
func byPath[T any](get func(a *webapp.App, ctx context.Context, id string) (T, error)) func(*webapp.App, context.Context, *http.Request) (T, error) {
	return func(a *webapp.App, ctx context.Context, r *http.Request) (T, error) {
		return get(a, ctx, r.PathValue("id"))
	}
}

package webapp

import (
	"io"
	"log/slog"
	"time"
)

// Route is one route of the web application and who may use it: anyone (SignedIn false),
// any signed-in person (Role ""), or one role ("admin", "coordinator", "host", "student").
// The platform's authorization matrix test reads the table so that a page added later is in
// the matrix without an edit of the test.
type Route struct {
	Method, Path string
	SignedIn     bool
	Role         string
}

// record notes the route handle registers, with the rule auth set just before (routes()
// writes handle(pattern, a.auth(role, h)): auth runs first).
func (a *App) record(method, path string) {
	r := Route{Method: method, Path: path}
	if a.guard != nil {
		r.SignedIn, r.Role = true, a.guard.Role
		a.guard = nil
	}
	a.table = append(a.table, r)
}

// Routes is the route table of the web application with the pages of the audiences given.
func Routes(audiences ...Audience) ([]Route, error) {
	a, err := NewApp(clients{}, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now, audiences...)
	if err != nil {
		return nil, err
	}
	return append([]Route(nil), a.table...), nil
}

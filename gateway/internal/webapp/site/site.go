// Package site assembles the web application the gateway serves at "/": the core (package
// webapp: routing, sessions, rendering, translations, forms) with the pages of every
// audience, each registering its own routes. Its tests are those that cross
// audiences; each audience's own are beside its handlers, all over package webapptest's
// harness and fake services.
package site

import (
	"log/slog"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
	"github.com/cohabit/cohabit/gateway/internal/webapp/account"
	"github.com/cohabit/cohabit/gateway/internal/webapp/admin"
	"github.com/cohabit/cohabit/gateway/internal/webapp/coordinator"
	"github.com/cohabit/cohabit/gateway/internal/webapp/host"
	"github.com/cohabit/cohabit/gateway/internal/webapp/student"
)

// Audiences are the packages of pages, by audience.
var Audiences = []webapp.Audience{account.Register, coordinator.Register, host.Register, student.Register, admin.Register}

// New builds the web application over the gateway's connections.
func New(conns webapp.Conns, log *slog.Logger) (*webapp.App, error) {
	return webapp.New(conns, log, Audiences...)
}

// Routes is the web application's route table, with who may use each route: the
// platform's authorization matrix test reads it, so that a page added later is in the matrix
// without an edit of the test.
func Routes() ([]webapp.Route, error) { return webapp.Routes(Audiences...) }

// Package webapp is the core of the web application the gateway serves at "/": server-rendered
// pages (html/template from gateway/web) for coordinators, hosts and students, enhanced with
// htmx where it helps and working without JavaScript everywhere (plain forms, POST then
// redirect).
//
// Pages call the services through the same gRPC connections as the REST API and forward the
// signed-in person's bearer token with every call, so each service's own authorization
// decides what a page may show or do; the pages never widen it. The token lives in an
// HttpOnly cookie; every POST carries a CSRF token. Texts come from the translation files
// (French by default, English one click away), and a large-type mode scales the whole page.
//
// The core holds the mechanism: routing and the route table (app.go, routetable.go), sessions,
// CSRF and forms kept across a sign-in (session.go, replay.go, auth.go), rendering and errors
// (render.go), translations (i18n.go), forms (forms.go, edit.go), and the parts several
// audiences' pages share (records.go, parties.go, applications.go, incidents.go, documents.go,
// notes.go, stays.go, figures.go, privacy.go). The pages are in one package per audience —
// account, coordinator, host, student, admin — one file per resource, each registering its
// routes (routes.go) as an Audience; package site puts them together. Handlers are methods of
// each package's app, which embeds *App: a.NewPage and a.Render, a.Fail, a.Call and a.Svc,
// NewForm, Redirect and SetFlash are most of what a page uses.
package webapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the programme's time zone, whatever the host system has

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"

	"github.com/cohabit/cohabit/gateway/internal/middleware"
	"github.com/cohabit/cohabit/gateway/internal/observe"
	"github.com/cohabit/cohabit/gateway/web"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// Conns are the gateway's gRPC connections, by backend name ("identity", "hosts",
// "students", "matching", "contracts").
type Conns map[string]grpc.ClientConnInterface

// clients are the services the pages call.
type clients struct {
	Identity  identityv1.IdentityServiceClient
	Hosts     hostsv1.HostServiceClient
	Students  studentsv1.StudentServiceClient
	Matching  matchingv1.MatchingServiceClient
	Contracts contractsv1.ContractServiceClient
	// Notifications is nil when the gateway runs without that service (optional backend).
	Notifications notificationsv1.NotificationServiceClient
	// Figures is nil when the gateway runs without that service (optional backend).
	Figures figuresv1.FiguresServiceClient
	// Desk is nil when the gateway runs without that service (optional backend).
	Desk deskv1.DeskServiceClient
}

// Clients are the service clients over the connections; it fails when a required one is missing.
func (c Conns) Clients() (clients, error) {
	var missing []string
	for _, name := range []string{"identity", "hosts", "students", "matching", "contracts"} {
		if c[name] == nil {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return clients{}, fmt.Errorf("web application: no connection to %s", strings.Join(missing, ", "))
	}
	var notifications notificationsv1.NotificationServiceClient
	if c["notifications"] != nil {
		notifications = notificationsv1.NewNotificationServiceClient(c["notifications"])
	}
	var figures figuresv1.FiguresServiceClient
	if c["figures"] != nil {
		figures = figuresv1.NewFiguresServiceClient(c["figures"])
	}
	var desk deskv1.DeskServiceClient
	if c["desk"] != nil {
		desk = deskv1.NewDeskServiceClient(c["desk"])
	}
	return clients{
		Desk:          desk,
		Figures:       figures,
		Notifications: notifications,
		Identity:      identityv1.NewIdentityServiceClient(c["identity"]),
		Hosts:         hostsv1.NewHostServiceClient(c["hosts"]),
		Students:      studentsv1.NewStudentServiceClient(c["students"]),
		Matching:      matchingv1.NewMatchingServiceClient(c["matching"]),
		Contracts:     contractsv1.NewContractServiceClient(c["contracts"]),
	}, nil
}

// callTimeout bounds the service calls of one page.
const callTimeout = 10 * time.Second

// App is the web application, an http.Handler.
type App struct {
	Svc    clients
	Cat    *catalogue
	Pages  *pages
	Assets *assets
	TZ     *time.Location
	now    func() time.Time
	Log    *slog.Logger
	mux    *http.ServeMux
	// replayKey signs the forms kept across a sign-in (replay.go).
	replayKey replayKey
	// table is every route with who may use it (routetable.go); guard is the rule of the
	// route being registered, set by auth and taken by handle.
	table []Route
	guard *Route
	// Conns are the gateway's connections, for the person's export (privacy.go), which
	// asks every service; nil in tests that build the app from clients alone.
	Conns Conns
}

// An Audience registers the pages of one audience (webapp/coordinator, webapp/host, …) with
// the application: a.Handle, a.Post and a.PostFile, each guarded by a.Auth with its role.
type Audience func(a *App)

// New builds the web application over the gateway's connections, with the pages of the
// audiences given. It fails when a connection is missing or an embedded file (template,
// translation) is broken.
func New(conns Conns, log *slog.Logger, audiences ...Audience) (*App, error) {
	svc, err := conns.Clients()
	if err != nil {
		return nil, err
	}
	a, err := NewApp(svc, log, time.Now, audiences...)
	if err != nil {
		return nil, err
	}
	a.Conns = conns
	return a, nil
}

// NewApp builds the web application over the service clients svc, with the clock now (tests
// set it).
func NewApp(svc clients, log *slog.Logger, now func() time.Time, audiences ...Audience) (*App, error) {
	fsys := web.FS()
	cat, err := loadCatalogue(fsys, log)
	if err != nil {
		return nil, fmt.Errorf("web application: %w", err)
	}
	as, err := loadAssets(fsys)
	if err != nil {
		return nil, fmt.Errorf("web application: %w", err)
	}
	pg, err := loadPages(fsys, as)
	if err != nil {
		return nil, fmt.Errorf("web application: %w", err)
	}
	// Programmes are French associations: dates and "today" are Paris time.
	tz, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return nil, fmt.Errorf("web application: time zone: %w", err)
	}
	a := &App{Svc: svc, Cat: cat, Pages: pg, Assets: as, TZ: tz, now: now, Log: log, mux: http.NewServeMux(), replayKey: newReplayKey()}
	a.routes(audiences)
	return a, nil
}

// ServeHTTP sets the headers every page needs, reads the request's preferences, refuses
// cross-site POSTs, and routes.
func (a *App) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	// Only this site's own files: the style sheet and htmx. No inline script or style (htmx
	// is told not to inject its own), no framing, forms post here only.
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
	h.Set("Vary", "Cookie, HX-Request")
	st := &state{
		Lang: Supported(CookieValue(r, CookieLang)),
		text: CookieValue(r, CookieText),
	}
	if v := CookieValue(r, CookieCSRF); boundCSRF(v, CookieValue(r, CookieSession)) {
		st.csrf = v
	}
	r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
	a.mux.ServeHTTP(w, r)
}

// Handle registers a route; its requests are labelled with the pattern in the gateway's
// metrics and logs (ids in paths never become label values).
func (a *App) Handle(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	a.mux.Handle(pattern, observe.Route(path, h))
	a.record(method, path)
}

// Post registers a form target: the CSRF token must match, or 403.
func (a *App) Post(pattern string, h http.HandlerFunc) {
	a.Handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || !checkCSRF(r) {
			a.forbidden(w, r)
			return
		}
		h(w, r)
	})
}

func (a *App) routes(audiences []Audience) {
	a.Handle("GET /static/{file}", a.Assets.serve)
	for _, register := range audiences {
		register(a)
	}
	// Unknown paths: labelled "unmatched" by the gateway, like its other 404s.
	a.mux.HandleFunc("/", a.NotFound)
}

// Call returns the context of a service call made for the signed-in person: their bearer
// token and the request id travel as gRPC metadata, as the REST mapping sends them.
func (a *App) Call(r *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	md := metadata.MD{}
	if id := r.Header.Get(middleware.RequestIDHeader); id != "" {
		md.Set("x-request-id", id)
	}
	if tok := StateOf(r.Context()).Token; tok != "" {
		md.Set("authorization", "Bearer "+tok)
	}
	return metadata.NewOutgoingContext(ctx, md), cancel
}

// Today is the date in the programme's time zone.
func (a *App) Today() time.Time {
	t := a.now().In(a.TZ)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// ListSize is how many records a page lists at most; a "more" flag says when there are more.
const ListSize = 200

// Parallel runs the calls of a page at once and returns the first error.
func Parallel(fns ...func() error) error {
	var wg sync.WaitGroup
	errs := make([]error, len(fns))
	for i, fn := range fns {
		wg.Go(func() { errs[i] = fn() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// ProgrammeOf fetches the signed-in person's programme (its name, phone and email are how
// hosts and students reach their coordinator).
func (a *App) ProgrammeOf(ctx context.Context, r *http.Request) (*identityv1.Programme, error) {
	return a.Svc.Identity.GetProgramme(ctx, &identityv1.GetProgrammeRequest{Id: StateOf(r.Context()).Me.GetProgrammeId()})
}

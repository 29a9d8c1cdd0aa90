// Package webapp is the web application the gateway serves at "/": server-rendered pages
// (html/template from gateway/web) for coordinators, hosts and students, enhanced with htmx
// where it helps and working without JavaScript everywhere (plain forms, POST then redirect).
//
// Pages call the services through the same gRPC connections as the REST API and forward the
// signed-in person's bearer token with every call, so each service's own authorization
// decides what a page may show or do; the pages never widen it. The token lives in an
// HttpOnly cookie; every POST carries a CSRF token. Texts come from the translation files
// (French by default, English one click away), and a large-type mode scales the whole page.
package webapp

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
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
	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// Conns are the gateway's gRPC connections, by backend name ("identity", "hosts",
// "students", "matching", "contracts").
type Conns map[string]grpc.ClientConnInterface

// clients are the services the pages call.
type clients struct {
	identity  identityv1.IdentityServiceClient
	hosts     hostsv1.HostServiceClient
	students  studentsv1.StudentServiceClient
	matching  matchingv1.MatchingServiceClient
	contracts contractsv1.ContractServiceClient
	// notifications is nil when the gateway runs without that service (optional backend).
	notifications notificationsv1.NotificationServiceClient
	// figures is nil when the gateway runs without that service (optional backend).
	figures figuresv1.FiguresServiceClient
	// desk is nil when the gateway runs without that service (optional backend).
	desk deskv1.DeskServiceClient
}

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
		desk:          desk,
		figures:       figures,
		notifications: notifications,
		identity:      identityv1.NewIdentityServiceClient(c["identity"]),
		hosts:         hostsv1.NewHostServiceClient(c["hosts"]),
		students:      studentsv1.NewStudentServiceClient(c["students"]),
		matching:      matchingv1.NewMatchingServiceClient(c["matching"]),
		contracts:     contractsv1.NewContractServiceClient(c["contracts"]),
	}, nil
}

// callTimeout bounds the service calls of one page.
const callTimeout = 10 * time.Second

// App is the web application, an http.Handler.
type App struct {
	svc    clients
	Cat    *catalogue
	Pages  *pages
	Assets *assets
	TZ     *time.Location
	now    func() time.Time
	log    *slog.Logger
	mux    *http.ServeMux
	// replayKey signs the forms kept across a sign-in (replay.go).
	replayKey replayKey
	// table is every route with who may use it (routetable.go); guard is the rule of the
	// route being registered, set by auth and taken by handle.
	table []Route
	guard *Route
	// conns are the gateway's connections, for the person's export (privacy.go), which
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
	a := &App{svc: svc, Cat: cat, Pages: pg, Assets: as, TZ: tz, now: now, log: log, mux: http.NewServeMux(), replayKey: newReplayKey()}
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
		lang: supported(cookieValue(r, cookieLang)),
		text: cookieValue(r, cookieText),
	}
	if v := cookieValue(r, CookieCSRF); boundCSRF(v, cookieValue(r, CookieSession)) {
		st.csrf = v
	}
	r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
	a.mux.ServeHTTP(w, r)
}

// handle registers a route; its requests are labelled with the pattern in the gateway's
// metrics and logs (ids in paths never become label values).
func (a *App) handle(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	a.mux.Handle(pattern, observe.Route(path, h))
	a.record(method, path)
}

// post registers a form target: the CSRF token must match, or 403.
func (a *App) post(pattern string, h http.HandlerFunc) {
	a.handle(pattern, func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || !checkCSRF(r) {
			a.forbidden(w, r)
			return
		}
		h(w, r)
	})
}

func (a *App) routes(audiences []Audience) {
	a.handle("GET /static/{file}", a.Assets.serve)
	for _, register := range audiences {
		register(a)
	}
	// Unknown paths: labelled "unmatched" by the gateway, like its other 404s.
	a.mux.HandleFunc("/", a.notFound)
}

// Audiences are the pages not yet in a package of their own.
var Audiences = []Audience{(*App).registerAccount, (*App).registerCoordinator, (*App).registerHost, (*App).registerStudent, (*App).registerAdmin}

// registerAccount registers the pages of anyone: sign-in, sign-up, preferences, and what every signed-in person has.
func (a *App) registerAccount() {
	a.handle("GET /{$}", a.home)
	a.handle("GET /login", a.loginPage)
	a.post("POST /login", a.login)
	a.handle("GET /signup", a.signupPage)
	a.post("POST /signup", a.signup)
	a.post("POST /logout", a.logout)
	a.post("POST /prefs/lang", a.setLang)
	a.post("POST /prefs/text", a.setText)
	a.handle("GET /contracts/{id}/document", a.auth(roleAny, a.contractDocument))
	a.handle("GET /notifications/settings", a.auth(roleAny, a.notificationSettingsPage))
	a.post("POST /notifications/settings", a.auth(roleAny, a.notificationSettingsSave))
	a.handle("GET /documents/{id}/file", a.auth(roleAny, a.documentFile))
	a.handle("GET /me/export", a.auth(roleAny, a.myExport))
}

// registerCoordinator registers the coordinator's pages.
func (a *App) registerCoordinator() {
	coord := func(h http.HandlerFunc) http.HandlerFunc { return a.auth(roleCoordinator, h) }
	a.handle("GET /coordinator", coord(a.dashboard))
	a.handle("GET /coordinator/hosts", coord(a.hostsList))
	a.handle("GET /coordinator/hosts/new", coord(a.hostNewPage))
	a.post("POST /coordinator/hosts", coord(a.hostCreate))
	a.handle("GET /coordinator/hosts/{id}", coord(a.hostPage))
	a.handle("GET /coordinator/hosts/{id}/edit", coord(hostEditor.show(a)))
	a.post("POST /coordinator/hosts/{id}/edit", coord(hostEditor.save(a)))
	a.post("POST /coordinator/hosts/{id}/verify", coord(a.hostVerify))
	a.post("POST /coordinator/hosts/{id}/suspend", coord(a.hostSuspend))
	a.post("POST /coordinator/hosts/{id}/reinstate", coord(a.hostReinstate))
	a.post("POST /coordinator/hosts/{id}/archive", coord(a.hostArchive))
	a.post("POST /coordinator/hosts/{id}/invite", coord(a.hostInvite))
	a.post("POST /coordinator/hosts/{id}/rooms", coord(a.roomCreate))
	a.post("POST /coordinator/rooms/{id}/publish", coord(a.roomPublish))
	a.post("POST /coordinator/rooms/{id}/withdraw", coord(a.roomWithdraw))
	a.handle("GET /coordinator/rooms/{id}/edit", coord(roomEditor.show(a)))
	a.post("POST /coordinator/rooms/{id}/edit", coord(roomEditor.save(a)))
	a.handle("GET /coordinator/rooms/{id}/candidates", coord(a.candidates))
	a.post("POST /coordinator/rooms/{id}/propose", coord(a.propose))
	a.handle("GET /coordinator/matches", coord(a.matchesList))
	a.handle("GET /coordinator/matches/{id}", coord(a.matchPage))
	a.post("POST /coordinator/matches/{id}/schedule", coord(a.scheduleMeeting))
	a.post("POST /coordinator/matches/{id}/answer", coord(a.matchAnswer))
	a.post("POST /coordinator/matches/{id}/approve", coord(a.matchApprove))
	a.post("POST /coordinator/matches/{id}/cancel", coord(a.matchCancel))
	a.handle("GET /coordinator/contracts", coord(a.contractsList))
	a.handle("GET /coordinator/association", coord(a.associationPage))
	a.post("POST /coordinator/association", coord(a.associationSave))
	a.handle("GET /coordinator/contracts/{id}", coord(a.contractPage))
	a.post("POST /coordinator/contracts/{id}/terms", coord(a.contractTerms))
	a.post("POST /coordinator/contracts/{id}/send", coord(a.contractSend))
	a.post("POST /coordinator/contracts/{id}/reopen", coord(a.contractReopen))
	a.post("POST /coordinator/contracts/{id}/sign", coord(a.contractSignOnBehalf))
	a.post("POST /coordinator/contracts/{id}/terminate", coord(a.contractTerminate))
	a.post("POST /coordinator/contracts/{id}/renew", coord(a.contractRenew))
	a.handle("GET /coordinator/checkins", coord(a.checkins))
	a.handle("GET /coordinator/checkins/{id}", coord(a.checkinPage))
	a.post("POST /coordinator/checkins/{id}", coord(a.checkinComplete))
	a.post("POST /coordinator/checkins/{id}/incident", coord(a.checkinIncident))
	a.handle("GET /coordinator/incidents", coord(a.incidents))
	a.post("POST /coordinator/incidents/{id}/mediate", coord(a.incidentMediate))
	a.post("POST /coordinator/incidents/{id}/resolve", coord(a.incidentResolve))
	a.handle("GET /coordinator/students", coord(a.studentsList))
	a.handle("GET /coordinator/students/new", coord(a.studentNewPage))
	a.post("POST /coordinator/students", coord(a.studentCreate))
	a.handle("GET /coordinator/rooms", coord(a.roomsList))
	a.handle("GET /coordinator/allocations", coord(a.allocations))
	a.post("POST /coordinator/allocations", coord(a.allocationCreate))
	a.handle("GET /coordinator/allocations/{id}", coord(a.allocation))
	a.post("POST /coordinator/allocations/{id}/propose", coord(a.allocationPropose))
	a.post("POST /coordinator/contracts/{id}/cancel", coord(a.contractCancel))
	a.post("POST /coordinator/students/{id}/verify", coord(a.studentVerify))
	a.handle("GET /coordinator/students/{id}", coord(a.studentPage))
	a.post("POST /coordinator/students/{id}/archive", coord(a.studentArchive))
	a.post("POST /coordinator/students/{id}/invite", coord(a.studentInvite))
	a.handle("GET /coordinator/students/{id}/edit", coord(studentEditor.show(a)))
	a.post("POST /coordinator/students/{id}/edit", coord(studentEditor.save(a)))
	a.post("POST /coordinator/students/{id}/applications", coord(a.studentApply))
	a.post("POST /coordinator/applications/{id}/withdraw", coord(a.applicationWithdraw("/coordinator/students")))
	a.handle("GET /coordinator/notifications", coord(a.notificationsList))
	a.handle("GET /coordinator/calls", coord(a.callList))
	a.handle("GET /coordinator/figures", coord(a.figures))
	a.handle("GET /coordinator/figures.csv", coord(a.figuresCSV))
	a.postFile("POST /coordinator/documents/{id}/upload", coord(a.documentUpload("/coordinator")))
	a.post("POST /coordinator/documents/{id}/verify", coord(a.documentVerify))
	a.post("POST /coordinator/documents/{id}/reject", coord(a.documentReject))
	a.post("POST /coordinator/notes", coord(a.noteCreate))
	a.post("POST /coordinator/notes/{id}", coord(a.noteCorrect))
	a.handle("GET /coordinator/agenda", coord(a.agenda))
	a.post("POST /coordinator/agenda/feed", coord(a.agendaFeed))
	a.handle("GET /coordinator/hosts/{id}/export", coord(a.personExport(privacyv1.PersonKind_PERSON_KIND_HOST)))
	a.handle("GET /coordinator/students/{id}/export", coord(a.personExport(privacyv1.PersonKind_PERSON_KIND_STUDENT)))
	a.post("POST /coordinator/hosts/{id}/erase", coord(a.hostErase))
	a.post("POST /coordinator/students/{id}/erase", coord(a.studentErase))
}

// registerHost registers the host's pages.
func (a *App) registerHost() {
	host := func(h http.HandlerFunc) http.HandlerFunc { return a.auth(roleHost, h) }
	a.handle("GET /host", host(a.hostHome))
	a.handle("GET /host/profile", host(a.hostProfilePage))
	a.post("POST /host/profile", host(a.hostProfileCreate))
	a.handle("GET /host/profile/edit", host(myHostEditor.show(a)))
	a.post("POST /host/profile/edit", host(myHostEditor.save(a)))
	a.post("POST /host/matches/{id}/accept", host(a.answerMatch(true, "/host")))
	a.post("POST /host/matches/{id}/decline", host(a.answerMatch(false, "/host")))
	a.post("POST /host/contracts/{id}/sign", host(a.signAs("/host")))
	a.handle("GET /host/contracts/{id}/incident", host(a.incidentPage))
	a.post("POST /host/contracts/{id}/incident", host(a.incidentCreate))
	a.postFile("POST /host/documents/{id}/upload", host(a.documentUpload("/host")))
}

// registerStudent registers the student's pages.
func (a *App) registerStudent() {
	student := func(h http.HandlerFunc) http.HandlerFunc { return a.auth(roleStudent, h) }
	a.handle("GET /student", student(a.studentHome))
	a.handle("GET /student/profile", student(a.studentProfilePage))
	a.post("POST /student/profile", student(a.studentProfileCreate))
	a.handle("GET /student/profile/edit", student(myStudentEditor.show(a)))
	a.post("POST /student/profile/edit", student(myStudentEditor.save(a)))
	a.handle("GET /student/apply", student(a.applyPage))
	a.post("POST /student/apply", student(a.apply))
	a.handle("GET /student/suggestions", student(a.suggestions))
	a.post("POST /student/applications/{id}/withdraw", student(a.applicationWithdraw("/student")))
	a.post("POST /student/matches/{id}/accept", student(a.answerMatch(true, "/student")))
	a.post("POST /student/matches/{id}/decline", student(a.answerMatch(false, "/student")))
	a.post("POST /student/contracts/{id}/sign", student(a.signAs("/student")))
	a.handle("GET /student/contracts/{id}/incident", student(a.incidentPage))
	a.post("POST /student/contracts/{id}/incident", student(a.incidentCreate))
	a.postFile("POST /student/documents/{id}/upload", student(a.documentUpload("/student")))
}

// registerAdmin registers the administrator's pages.
func (a *App) registerAdmin() {
	a.handle("GET /admin", a.auth(roleAdmin, a.adminHome))
	a.handle("GET /admin/figures", a.auth(roleAdmin, a.adminFigures))
	a.handle("GET /admin/figures.csv", a.auth(roleAdmin, a.adminFiguresCSV))
}

// call returns the context of a service call made for the signed-in person: their bearer
// token and the request id travel as gRPC metadata, as the REST mapping sends them.
func (a *App) call(r *http.Request) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(r.Context(), callTimeout)
	md := metadata.MD{}
	if id := r.Header.Get(middleware.RequestIDHeader); id != "" {
		md.Set("x-request-id", id)
	}
	if tok := stateOf(r.Context()).token; tok != "" {
		md.Set("authorization", "Bearer "+tok)
	}
	return metadata.NewOutgoingContext(ctx, md), cancel
}

// today is the date in the programme's time zone.
func (a *App) today() time.Time {
	t := a.now().In(a.TZ)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

package webapp

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/reflect/protoreflect"

	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

// assets are the static files, served with a content hash in their URL so that browsers may
// keep them for a year.
type assets struct {
	files map[string][]byte
	hash  map[string]string
}

func loadAssets(fsys fs.FS) (*assets, error) {
	as := &assets{files: make(map[string][]byte), hash: make(map[string]string)}
	entries, err := fs.ReadDir(fsys, "static")
	if err != nil {
		return nil, fmt.Errorf("static files: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := fs.ReadFile(fsys, "static/"+e.Name())
		if err != nil {
			return nil, fmt.Errorf("static files: %w", err)
		}
		sum := sha256.Sum256(b)
		as.files[e.Name()] = b
		as.hash[e.Name()] = hex.EncodeToString(sum[:6])
	}
	return as, nil
}

// URL is the versioned address of a static file ("/static/app.css?v=…").
func (as *assets) URL(name string) string {
	return "/static/" + name + "?v=" + as.hash[name]
}

func (as *assets) serve(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("file")
	b, ok := as.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	if r.URL.Query().Get("v") == as.hash[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	_, _ = w.Write(b)
}

// pages are the parsed templates: each page file with the layout and the shared partials.
type pages struct {
	Set map[string]*template.Template
}

func loadPages(fsys fs.FS, as *assets) (*pages, error) {
	funcs := template.FuncMap{
		"asset": as.URL,
		"field": field,
		"pair":  func(p *page, v any) pagePair { return pagePair{p, v} },
		"int":   func(n int32) int { return int(n) },
		"add": func(n int, more ...int) int {
			for _, m := range more {
				n += m
			}
			return n
		},
		"badge": badge,
		"short": firstLine,
		"tel":   telURI,
		"signedBy": func(c *contractsv1.Contract, party string) bool {
			return signed(c, matchingv1.Party(matchingv1.Party_value[party]))
		},
	}
	names, err := fs.Glob(fsys, "templates/*.html")
	if err != nil {
		return nil, err
	}
	p := &pages{Set: make(map[string]*template.Template)}
	for _, n := range names {
		base := path.Base(n)
		if strings.HasPrefix(base, "_") {
			continue // layout and partials
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(fsys, "templates/_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", base, err)
		}
		p.Set[strings.TrimSuffix(base, ".html")] = t
	}
	if len(p.Set) == 0 {
		return nil, errors.New("no page templates")
	}
	return p, nil
}

// badge is the style of a state: done or good (ok), waiting for someone (wait), gone wrong
// (bad), or over (neutral).
func badge(e protoreflect.Enum) string {
	d := e.Descriptor().Values().ByNumber(e.Number())
	if d == nil {
		return "neutral"
	}
	name := string(d.Name())
	for _, s := range []string{"PENDING", "PROPOSED", "MEETING", "AWAITING", "DRAFT", "_DUE", "_OPEN", "NOTICE", "MEDIATION", "SUBMITTED", "RESERVED", "RUNNING", "DOCUMENT_STATUS_RECEIVED", "DOCUMENT_STATUS_MISSING"} {
		if strings.Contains(name, s) {
			return "wait"
		}
	}
	for _, s := range []string{"MISSED", "DECLINED", "CANCELLED", "EXPIRED", "SUSPENDED", "TERMINATED", "FAILED", "CRITICAL", "HIGH", "REJECTED"} {
		if strings.Contains(name, s) {
			return "bad"
		}
	}
	for _, s := range []string{"VERIFIED", "PUBLISHED", "ACCEPTED", "APPROVED", "ACTIVE", "DONE", "RESOLVED", "PLACED", "MATCHED", "OCCUPIED", "COMPLETED", "SUCCEEDED"} {
		if strings.Contains(name, s) {
			return "ok"
		}
	}
	return "neutral"
}

// telURI is a phone number as a tel: link ("tel:+33400000000"): digits and a leading + only.
func telURI(phone string) template.URL {
	var b strings.Builder
	for i, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}

// pagePair hands a partial template the page and one item of a list.
type pagePair struct {
	P *page
	V any
}

// Roles, as the pages name them.
const (
	roleAny         = ""
	roleAdmin       = "admin"
	roleCoordinator = "coordinator"
	roleHost        = "host"
	roleStudent     = "student"
)

func roleName(r typev1.Role) string {
	switch r {
	case typev1.Role_ROLE_ADMIN:
		return roleAdmin
	case typev1.Role_ROLE_COORDINATOR:
		return roleCoordinator
	case typev1.Role_ROLE_HOST:
		return roleHost
	case typev1.Role_ROLE_STUDENT:
		return roleStudent
	}
	return ""
}

// page is what every template receives.
type page struct {
	L     *Loc
	Title string
	Me    *identityv1.Account
	Role  string
	// Large is the large-type mode: the visitor's choice, else on for hosts.
	Large bool
	CSRF  string
	// Path is the address of this page, where preference forms come back to.
	Path  string
	Flash *flash
	// Nav is the current section, for aria-current.
	Nav  string
	Data any
	Form *form
	// Desk is the page's part of the coordinator's desk (documents, notes, timeline), or nil.
	Desk *deskView
	// Status is the HTTP status: pages rendered for an error say so.
	Status int
}

// newPage prepares the page data for r; titleKey names the page's title (its h1 too).
func (a *App) newPage(w http.ResponseWriter, r *http.Request, titleKey string, data any) *page {
	st := stateOf(r.Context())
	l := a.Cat.Loc(st.lang, a.TZ)
	p := &page{
		L:     l,
		Title: l.T(titleKey),
		Me:    st.me,
		CSRF:  csrfToken(w, r),
		Path:  r.URL.RequestURI(),
		Data:  data,
	}
	if st.me != nil {
		p.Role = roleName(st.me.GetRole())
	}
	switch st.text {
	case "large":
		p.Large = true
	case "normal":
	default:
		p.Large = p.Role == roleHost
	}
	if st.flash != nil {
		p.Flash = st.flash
	} else if r.Method == http.MethodGet {
		p.Flash = takeFlash(w, r)
	}
	return p
}

// render writes the page template name with p, answering status.
func (a *App) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := a.Pages.Set[name]
	if !ok {
		a.log.ErrorContext(r.Context(), "web: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.Status = status
	if p.Form != nil {
		p.Form.localise(p.L)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name+".html", p); err != nil {
		a.log.ErrorContext(r.Context(), "web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Pages hold personal data: never kept by the browser or a proxy.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// redirect answers a form with 303 See Other, the POST-redirect-GET that keeps the back
// button and reloads harmless. htmx follows it too, and picks from the page it lands on the
// parts its form names (hx-select), so the server has one answer for both.
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// loginURL is the sign-in page, coming back to the page of r afterwards: a GET comes back
// where it was; a form's POST cannot be replayed, so it comes back to the account's home.
func loginURL(r *http.Request) string {
	if r.Method != http.MethodGet {
		return "/login"
	}
	return "/login?next=" + urlQueryEscape(r.URL.RequestURI())
}

// errorPage renders the page of a failure with the status it maps to.
func (a *App) errorPage(w http.ResponseWriter, r *http.Request, code int, msgKey string) {
	p := a.newPage(w, r, "error.title", nil)
	p.Data = struct{ Message string }{p.L.T(msgKey)}
	a.render(w, r, code, "error", p)
}

func (a *App) forbidden(w http.ResponseWriter, r *http.Request) {
	a.errorPage(w, r, http.StatusForbidden, "error.forbidden")
}

func (a *App) notFound(w http.ResponseWriter, r *http.Request) {
	a.errorPage(w, r, http.StatusNotFound, "error.notFound")
}

// fail renders the page of a service call's error: a session the identity service no
// longer accepts goes back to sign-in; the rest become 403, 404, 503 or 500 pages. The
// service's message is logged, not shown: it is English and may say more than the page should.
func (a *App) fail(w http.ResponseWriter, r *http.Request, err error) {
	s, _ := status.FromError(err)
	switch s.Code() {
	case codes.Unauthenticated:
		setCookie(w, r, CookieSession, "", -1)
		redirect(w, r, loginURL(r))
		return
	case codes.PermissionDenied:
		a.forbidden(w, r)
		return
	case codes.NotFound:
		a.notFound(w, r)
		return
	case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
		// The record's state refuses what the page asks (candidates of a room no longer
		// published): the person's request, not a fault of the platform.
		a.errorPage(w, r, http.StatusBadRequest, "error.refused")
		return
	case codes.AlreadyExists, codes.Aborted:
		a.errorPage(w, r, http.StatusConflict, "error.refused")
		return
	case codes.Unavailable, codes.DeadlineExceeded:
		a.log.WarnContext(r.Context(), "web: service unavailable", "err", err, "path", r.URL.Path)
		a.errorPage(w, r, http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	a.log.ErrorContext(r.Context(), "web: service call failed", "code", s.Code().String(), "err", s.Message(), "path", r.URL.Path)
	a.errorPage(w, r, http.StatusInternalServerError, "error.internal")
}

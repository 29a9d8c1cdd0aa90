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

// AfterAction ends a button's POST: a flash saying it worked, or why not (a refusal of the
// service, in its words), then back to the page the form came from.
func (a *App) AfterAction(w http.ResponseWriter, r *http.Request, err error, okKey, fallback string) {
	back := LocalPath(r.PostFormValue("next"), fallback)
	if err != nil {
		key, detail, handled := a.ActionError(err)
		if !handled {
			a.Fail(w, r, err)
			return
		}
		SetFlash(w, r, Flash{Kind: "error", Key: key, Detail: detail})
	} else {
		SetFlash(w, r, Flash{Kind: "ok", Key: okKey})
	}
	Redirect(w, r, back)
}

// FormRefused ends a form's POST the service refused (err): true when the refusal names the
// form's fields, now on f, for the page to show the form again; else, like a button's, a
// flash saying why, back to the page the form came from (AfterAction), and false.
func (a *App) FormRefused(w http.ResponseWriter, r *http.Request, f *Form, err error, fallback string) bool {
	if f.FromStatus(err, a.Cat.Loc(StateOf(r.Context()).Lang, a.TZ)) {
		return true
	}
	a.AfterAction(w, r, err, "", fallback)
	return false
}

// firstLine shortens a text to its first line, at most n characters, for lists.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// ActionError turns the refusal of a button's action into a flash: the key of a sentence in
// the page's language, the refusal's own when its reason has one ("refusal.ALREADY_SIGNED"),
// else a general one. The service's words are never shown (English, for developers). detail
// stays empty; it is kept for the callers' shape. Failures that are not refusals (the session
// ended, a service is down) are not handled here.
func (a *App) ActionError(err error) (key, detail string, handled bool) {
	s, _ := status.FromError(err)
	reason := reasonOf(err)
	known := func(fallback string) string {
		if reason != "" && a.Cat.has("refusal."+reason) {
			return "refusal." + reason
		}
		return fallback
	}
	switch s.Code() {
	case codes.FailedPrecondition, codes.InvalidArgument, codes.OutOfRange:
		return known("action.error.refused"), "", true
	case codes.Aborted, codes.AlreadyExists:
		return known("action.error.conflict"), "", true
	case codes.NotFound:
		return "action.error.notFound", "", true
	case codes.PermissionDenied:
		return known("action.error.forbidden"), "", true
	}
	return "", "", false
}

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
			return Signed(c, matchingv1.Party(matchingv1.Party_value[party]))
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
	RoleAny         = ""
	RoleAdmin       = "admin"
	RoleCoordinator = "coordinator"
	RoleHost        = "host"
	RoleStudent     = "student"
)

// RoleName is the name the pages give role r ("coordinator"), "" for none.
func RoleName(r typev1.Role) string {
	switch r {
	case typev1.Role_ROLE_ADMIN:
		return RoleAdmin
	case typev1.Role_ROLE_COORDINATOR:
		return RoleCoordinator
	case typev1.Role_ROLE_HOST:
		return RoleHost
	case typev1.Role_ROLE_STUDENT:
		return RoleStudent
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
	Flash *Flash
	// Nav is the current section, for aria-current.
	Nav  string
	Data any
	Form *Form
	// Desk is the page's part of the coordinator's desk (documents, notes, timeline), or nil.
	Desk *DeskView
	// Status is the HTTP status: pages rendered for an error say so.
	Status int
}

// NewPage prepares the page data for r; titleKey names the page's title (its h1 too).
func (a *App) NewPage(w http.ResponseWriter, r *http.Request, titleKey string, data any) *page {
	st := StateOf(r.Context())
	l := a.Cat.Loc(st.Lang, a.TZ)
	p := &page{
		L:     l,
		Title: l.T(titleKey),
		Me:    st.Me,
		CSRF:  csrfToken(w, r),
		Path:  r.URL.RequestURI(),
		Data:  data,
	}
	if st.Me != nil {
		p.Role = RoleName(st.Me.GetRole())
	}
	switch st.text {
	case "large":
		p.Large = true
	case "normal":
	default:
		p.Large = p.Role == RoleHost
	}
	if st.flash != nil {
		p.Flash = st.flash
	} else if r.Method == http.MethodGet {
		p.Flash = takeFlash(w, r)
	}
	return p
}

// Render writes the page template name with p, answering status.
func (a *App) Render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := a.Pages.Set[name]
	if !ok {
		a.Log.ErrorContext(r.Context(), "web: no such page", "page", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	p.Status = status
	if p.Form != nil {
		p.Form.localise(p.L)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name+".html", p); err != nil {
		a.Log.ErrorContext(r.Context(), "web: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	// Pages hold personal data: never kept by the browser or a proxy.
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Redirect answers a form with 303 See Other, the POST-redirect-GET that keeps the back
// button and reloads harmless. htmx follows it too, and picks from the page it lands on the
// parts its form names (hx-select), so the server has one answer for both.
func Redirect(w http.ResponseWriter, r *http.Request, to string) {
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
	p := a.NewPage(w, r, "error.title", nil)
	p.Data = struct{ Message string }{p.L.T(msgKey)}
	a.Render(w, r, code, "error", p)
}

func (a *App) forbidden(w http.ResponseWriter, r *http.Request) {
	a.errorPage(w, r, http.StatusForbidden, "error.forbidden")
}

// NotFound renders the 404 page.
func (a *App) NotFound(w http.ResponseWriter, r *http.Request) {
	a.errorPage(w, r, http.StatusNotFound, "error.notFound")
}

// Fail renders the page of a service call's error: a session the identity service no
// longer accepts goes back to sign-in; the rest become 403, 404, 503 or 500 pages. The
// service's message is logged, not shown: it is English and may say more than the page should.
func (a *App) Fail(w http.ResponseWriter, r *http.Request, err error) {
	s, _ := status.FromError(err)
	switch s.Code() {
	case codes.Unauthenticated:
		SetCookie(w, r, CookieSession, "", -1)
		Redirect(w, r, loginURL(r))
		return
	case codes.PermissionDenied:
		a.forbidden(w, r)
		return
	case codes.NotFound:
		a.NotFound(w, r)
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
		a.Log.WarnContext(r.Context(), "web: service unavailable", "err", err, "path", r.URL.Path)
		a.errorPage(w, r, http.StatusServiceUnavailable, "error.unavailable")
		return
	}
	a.Log.ErrorContext(r.Context(), "web: service call failed", "code", s.Code().String(), "err", s.Message(), "path", r.URL.Path)
	a.errorPage(w, r, http.StatusInternalServerError, "error.internal")
}

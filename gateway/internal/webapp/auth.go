package webapp

import (
	"net/http"
	"net/url"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// homeOf is where an account lands after sign-in.
func homeOf(role typev1.Role) string {
	switch role {
	case typev1.Role_ROLE_COORDINATOR:
		return "/coordinator"
	case typev1.Role_ROLE_HOST:
		return "/host"
	case typev1.Role_ROLE_STUDENT:
		return "/student"
	case typev1.Role_ROLE_ADMIN:
		return "/admin"
	}
	return "/"
}

// auth lets a request through when its session token is good (the identity service says who
// it is) and its account has role (roleAny: any account). No session goes to sign-in and
// comes back (a form posted is kept and posted again after sign-in); another role gets 403.
// An active session slides (replay.go). The services check again on every call.
func (a *App) auth(role string, h http.HandlerFunc) http.HandlerFunc {
	a.guard = &Route{SignedIn: true, Role: role}
	return func(w http.ResponseWriter, r *http.Request) {
		st := stateOf(r.Context())
		st.token = cookieValue(r, CookieSession)
		if st.token == "" {
			if r.Method == http.MethodPost {
				a.keepForm(w, r)
				return
			}
			redirect(w, r, loginURL(r))
			return
		}
		ctx, cancel := a.call(r)
		me, err := a.svc.identity.GetMe(ctx, &identityv1.GetMeRequest{})
		cancel()
		if err != nil {
			if expired(err) && r.Method == http.MethodPost {
				a.keepForm(w, r)
				return
			}
			a.fail(w, r, err)
			return
		}
		a.slide(w, r)
		st.me = me
		if role != roleAny && roleName(me.GetRole()) != role {
			a.forbidden(w, r)
			return
		}
		h(w, r)
	}
}

// home is the landing page, or the signed-in person's home.
func (a *App) home(w http.ResponseWriter, r *http.Request) {
	if tok := cookieValue(r, CookieSession); tok != "" {
		st := stateOf(r.Context())
		st.token = tok
		ctx, cancel := a.call(r)
		me, err := a.svc.identity.GetMe(ctx, &identityv1.GetMeRequest{})
		cancel()
		if err == nil {
			redirect(w, r, homeOf(me.GetRole()))
			return
		}
		// A stale token: forget it and show the landing page.
		st.token = ""
		setCookie(w, r, CookieSession, "", -1)
	}
	a.render(w, r, http.StatusOK, "landing", a.newPage(w, r, "landing.title", nil))
}

var loginSpec = formSpec{
	{Name: "email", Label: "login.email", API: "email"},
	{Name: "password", Label: "login.password", API: "password"},
}

func (a *App) loginPage(w http.ResponseWriter, r *http.Request) {
	f := newForm(loginSpec, url.Values{"next": {r.URL.Query().Get("next")}})
	p := a.newPage(w, r, "login.title", nil)
	p.Form = f
	a.render(w, r, http.StatusOK, "login", p)
}

// login exchanges the credentials for a token, keeps it in the session cookie until it
// expires, and goes to the account's home (or the page that asked for sign-in).
func (a *App) login(w http.ResponseWriter, r *http.Request) {
	f := newForm(loginSpec, r.PostForm)
	email, password := strings.TrimSpace(f.Value("email")), f.Value("password")
	f.require("email", "password")
	p := a.newPage(w, r, "login.title", nil)
	p.Form = f
	if !f.ok() {
		a.render(w, r, http.StatusBadRequest, "login", p)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.identity.Login(ctx, &identityv1.LoginRequest{Email: email, Password: password})
	if err != nil {
		switch status.Code(err) {
		case codes.Unauthenticated, codes.PermissionDenied, codes.NotFound:
			f.global("login.error.credentials")
			a.render(w, r, http.StatusUnauthorized, "login", p)
		case codes.InvalidArgument:
			f.fromStatus(err, p.L)
			a.render(w, r, http.StatusBadRequest, "login", p)
		case codes.ResourceExhausted:
			// Locked out after failed attempts: say so and when to come back, on the form,
			// as the API's 429 does (it was a 500 page).
			f.global("login.error.locked")
			a.render(w, r, http.StatusTooManyRequests, "login", p)
		default:
			a.fail(w, r, err)
		}
		return
	}
	a.startSession(w, r, res)
	// A form posted after the session had ended is posted now, for the same account.
	if rp, had := a.takeReplay(w, r, res.GetAccount().GetId()); rp != nil {
		a.resume(w, r, rp, res)
		return
	} else if had {
		setFlash(w, r, flash{Kind: "error", Key: "session.notKept"})
	}
	redirect(w, r, LocalPath(f.Value("next"), homeOf(res.GetAccount().GetRole())))
}

func (a *App) startSession(w http.ResponseWriter, r *http.Request, res *identityv1.LoginResponse) {
	a.setSession(w, r, res)
	// Whose session this is, for a form kept across the next sign-in (replay.go).
	setCookie(w, r, cookieAcct, res.GetAccount().GetId(), prefAge)
	rotateCSRF(w, r, res.GetAccessToken())
}

func (a *App) logout(w http.ResponseWriter, r *http.Request) {
	// The session ends in every service, not only in this browser: a copy of the token
	// (another tab's, a stolen cookie's) stops working too (issue 18).
	if tok := cookieValue(r, CookieSession); tok != "" {
		stateOf(r.Context()).token = tok
		ctx, cancel := a.call(r)
		if _, err := a.svc.identity.Logout(ctx, &identityv1.LogoutRequest{}); err != nil && status.Code(err) != codes.Unauthenticated {
			a.log.WarnContext(r.Context(), "web: logout", "err", err)
		}
		cancel()
	}
	setCookie(w, r, CookieSession, "", -1)
	setCookie(w, r, CookieExp, "", -1)
	rotateCSRF(w, r, "")
	setFlash(w, r, flash{Kind: "ok", Key: "logout.done"})
	redirect(w, r, "/login")
}

var signupSpec = formSpec{
	{Name: "email", Label: "signup.email", API: "email"},
	{Name: "password", Label: "signup.password", API: "password"},
	{Name: "role", Label: "signup.role", API: "role"},
	{Name: "programme", Label: "signup.programme", API: "programmeId"},
	{Name: "inviteCode", Label: "signup.invite"},
}

type signupData struct {
	Programmes []*identityv1.Programme
}

func (a *App) signupData(r *http.Request) (signupData, error) {
	ctx, cancel := a.call(r)
	defer cancel()
	res, err := a.svc.identity.ListProgrammes(ctx, &identityv1.ListProgrammesRequest{PageSize: 200})
	if err != nil {
		return signupData{}, err
	}
	return signupData{Programmes: res.GetProgrammes()}, nil
}

func (a *App) signupPage(w http.ResponseWriter, r *http.Request) {
	d, err := a.signupData(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	// ?code= is an invitation's (SPEC §3): the account is created linked to the record the
	// coordinator registered, its role and programme the record's.
	vals := url.Values{"role": {r.URL.Query().Get("role")}, "inviteCode": {r.URL.Query().Get("code")}}
	if len(d.Programmes) == 1 {
		vals.Set("programme", d.Programmes[0].GetId())
	}
	p := a.newPage(w, r, "signup.title", d)
	p.Form = newForm(signupSpec, vals)
	a.render(w, r, http.StatusOK, "signup", p)
}

// signup creates a host or student account, signs it in, and goes to its home, where the
// next step is the profile.
func (a *App) signup(w http.ResponseWriter, r *http.Request) {
	d, err := a.signupData(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	f := newForm(signupSpec, r.PostForm)
	p := a.newPage(w, r, "signup.title", d)
	p.Form = f
	invited := f.Value("inviteCode") != ""
	f.require("email", "password")
	if !invited { // an invitation's record decides both
		f.require("role", "programme")
	}
	role := map[string]typev1.Role{"host": typev1.Role_ROLE_HOST, "student": typev1.Role_ROLE_STUDENT}[f.Value("role")]
	if !invited && f.Value("role") != "" && role == typev1.Role_ROLE_UNSPECIFIED {
		f.fieldError("role", "form.error.choice", "")
	}
	if !f.ok() {
		a.render(w, r, http.StatusBadRequest, "signup", p)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	email := strings.TrimSpace(f.Value("email"))
	_, err = a.svc.identity.Signup(ctx, &identityv1.SignupRequest{
		Email: email, Password: f.Value("password"), Role: role, ProgrammeId: f.Value("programme"), InviteCode: f.Value("inviteCode"),
	})
	if err == nil {
		var res *identityv1.LoginResponse
		res, err = a.svc.identity.Login(ctx, &identityv1.LoginRequest{Email: email, Password: f.Value("password")})
		if err == nil {
			a.startSession(w, r, res)
			setFlash(w, r, flash{Kind: "ok", Key: "signup.done"})
			redirect(w, r, homeOf(res.GetAccount().GetRole()))
			return
		}
		if status.Code(err) == codes.Unauthenticated {
			// The address already had an account (its owner has been emailed) and this is not
			// its password: say no more than the sign-up did (SPEC §3, issue 18).
			setFlash(w, r, flash{Kind: "ok", Key: "signup.checkEmail"})
			redirect(w, r, "/login")
			return
		}
	}
	// A code no longer good (used, replaced, expired) is said over the form: it has no input.
	if violated(err, "inviteCode") {
		f.global("violation.inviteCode")
		a.render(w, r, http.StatusBadRequest, "signup", p)
		return
	}
	if f.fromStatus(err, p.L) {
		a.render(w, r, http.StatusBadRequest, "signup", p)
		return
	}
	if status.Code(err) == codes.AlreadyExists {
		f.fieldError("email", "signup.error.exists", "")
		a.render(w, r, http.StatusConflict, "signup", p)
		return
	}
	a.fail(w, r, err)
}

// setLang keeps the chosen language in a cookie and goes back to the page.
func (a *App) setLang(w http.ResponseWriter, r *http.Request) {
	setCookie(w, r, cookieLang, supported(r.PostFormValue("lang")), prefAge)
	redirect(w, r, LocalPath(r.PostFormValue("next"), "/"))
}

// setText switches the large-type mode.
func (a *App) setText(w http.ResponseWriter, r *http.Request) {
	v := r.PostFormValue("text")
	if v != "large" {
		v = "normal"
	}
	setCookie(w, r, cookieText, v, prefAge)
	redirect(w, r, LocalPath(r.PostFormValue("next"), "/"))
}

func (a *App) adminHome(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "admin", a.newPage(w, r, "admin.title", nil))
}

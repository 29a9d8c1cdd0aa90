package account

import (
	"net/http"
	"net/url"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// home is the landing page, or the signed-in person's home.
func (a *app) home(w http.ResponseWriter, r *http.Request) {
	if tok := webapp.CookieValue(r, webapp.CookieSession); tok != "" {
		st := webapp.StateOf(r.Context())
		st.Token = tok
		ctx, cancel := a.Call(r)
		me, err := a.Svc.Identity.GetMe(ctx, &identityv1.GetMeRequest{})
		cancel()
		if err == nil {
			webapp.Redirect(w, r, webapp.HomeOf(me.GetRole()))
			return
		}
		// A stale token: forget it and show the landing page.
		st.Token = ""
		webapp.SetCookie(w, r, webapp.CookieSession, "", -1)
	}
	a.Render(w, r, http.StatusOK, "landing", a.NewPage(w, r, "landing.title", nil))
}

var loginSpec = webapp.FormSpec{
	{Name: "email", Label: "login.email", API: "email"},
	{Name: "password", Label: "login.password", API: "password"},
}

func (a *app) loginPage(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(loginSpec, url.Values{"next": {r.URL.Query().Get("next")}})
	p := a.NewPage(w, r, "login.title", nil)
	p.Form = f
	a.Render(w, r, http.StatusOK, "login", p)
}

// login exchanges the credentials for a token, keeps it in the session cookie until it
// expires, and goes to the account's home (or the page that asked for sign-in).
func (a *app) login(w http.ResponseWriter, r *http.Request) {
	f := webapp.NewForm(loginSpec, r.PostForm)
	email, password := strings.TrimSpace(f.Value("email")), f.Value("password")
	f.Require("email", "password")
	p := a.NewPage(w, r, "login.title", nil)
	p.Form = f
	if !f.OK() {
		a.Render(w, r, http.StatusBadRequest, "login", p)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Identity.Login(ctx, &identityv1.LoginRequest{Email: email, Password: password})
	if err != nil {
		switch status.Code(err) {
		case codes.Unauthenticated, codes.PermissionDenied, codes.NotFound:
			f.Global("login.error.credentials")
			a.Render(w, r, http.StatusUnauthorized, "login", p)
		case codes.InvalidArgument:
			f.FromStatus(err, p.L)
			a.Render(w, r, http.StatusBadRequest, "login", p)
		case codes.ResourceExhausted:
			// Locked out after failed attempts: say so and when to come back, on the form,
			// as the API's 429 does (it was a 500 page).
			f.Global("login.error.locked")
			a.Render(w, r, http.StatusTooManyRequests, "login", p)
		default:
			a.Fail(w, r, err)
		}
		return
	}
	a.startSession(w, r, res)
	// A form posted after the session had ended is posted now, for the same account.
	if rp, had := a.TakeReplay(w, r, res.GetAccount().GetId()); rp != nil {
		a.Resume(w, r, rp, res)
		return
	} else if had {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "session.notKept"})
	}
	webapp.Redirect(w, r, webapp.LocalPath(f.Value("next"), webapp.HomeOf(res.GetAccount().GetRole())))
}

func (a *app) startSession(w http.ResponseWriter, r *http.Request, res *identityv1.LoginResponse) {
	a.SetSession(w, r, res)
	// Whose session this is, for a form kept across the next sign-in (replay.go).
	webapp.SetCookie(w, r, webapp.CookieAcct, res.GetAccount().GetId(), prefAge)
	webapp.RotateCSRF(w, r, res.GetAccessToken())
}

func (a *app) logout(w http.ResponseWriter, r *http.Request) {
	// The session ends in every service, not only in this browser: a copy of the token
	// (another tab's, a stolen cookie's) stops working too (issue 18).
	if tok := webapp.CookieValue(r, webapp.CookieSession); tok != "" {
		webapp.StateOf(r.Context()).Token = tok
		ctx, cancel := a.Call(r)
		if _, err := a.Svc.Identity.Logout(ctx, &identityv1.LogoutRequest{}); err != nil && status.Code(err) != codes.Unauthenticated {
			a.Log.WarnContext(r.Context(), "web: logout", "err", err)
		}
		cancel()
	}
	webapp.SetCookie(w, r, webapp.CookieSession, "", -1)
	webapp.SetCookie(w, r, webapp.CookieExp, "", -1)
	webapp.RotateCSRF(w, r, "")
	webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "logout.done"})
	webapp.Redirect(w, r, "/login")
}

package webapp

import (
	"net/http"
	"net/url"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
)

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// HomeOf is where an account lands after sign-in.
func HomeOf(role typev1.Role) string {
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

// Auth lets a request through when its session token is good (the identity service says who
// it is) and its account has role (roleAny: any account). No session goes to sign-in and
// comes back (a form posted is kept and posted again after sign-in); another role gets 403.
// An active session slides (replay.go). The services check again on every call.
func (a *App) Auth(role string, h http.HandlerFunc) http.HandlerFunc {
	a.guard = &Route{SignedIn: true, Role: role}
	return func(w http.ResponseWriter, r *http.Request) {
		st := StateOf(r.Context())
		st.Token = CookieValue(r, CookieSession)
		if st.Token == "" {
			if r.Method == http.MethodPost {
				a.keepForm(w, r)
				return
			}
			Redirect(w, r, loginURL(r))
			return
		}
		ctx, cancel := a.Call(r)
		me, err := a.Svc.Identity.GetMe(ctx, &identityv1.GetMeRequest{})
		cancel()
		if err != nil {
			if expired(err) && r.Method == http.MethodPost {
				a.keepForm(w, r)
				return
			}
			a.Fail(w, r, err)
			return
		}
		a.slide(w, r)
		st.Me = me
		if role != RoleAny && RoleName(me.GetRole()) != role {
			a.forbidden(w, r)
			return
		}
		h(w, r)
	}
}

// unless guards the pages of an optional service (WithDesk, WithNotifications): while absent
// reports that the gateway runs without it (an embedding that does not), they answer err, a
// 503, instead of h.
func (a *App) unless(absent func() bool, err error, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if absent() {
			a.Fail(w, r, err)
			return
		}
		h(w, r)
	}
}

package account

import (
	"net/http"
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// prefAge is how long the browser keeps what it is told to remember: the language, the type
// size, and whose session it last had (a form kept across a sign-in goes back to her only).
const prefAge = 365 * 24 * time.Hour

// setLang keeps the chosen language in a cookie and goes back to the page.
func (a *app) setLang(w http.ResponseWriter, r *http.Request) {
	webapp.SetCookie(w, r, webapp.CookieLang, webapp.Supported(r.PostFormValue("lang")), prefAge)
	webapp.Redirect(w, r, webapp.LocalPath(r.PostFormValue("next"), "/"))
}

// setText switches the large-type mode.
func (a *app) setText(w http.ResponseWriter, r *http.Request) {
	v := r.PostFormValue("text")
	if v != "large" {
		v = "normal"
	}
	webapp.SetCookie(w, r, webapp.CookieText, v, prefAge)
	webapp.Redirect(w, r, webapp.LocalPath(r.PostFormValue("next"), "/"))
}

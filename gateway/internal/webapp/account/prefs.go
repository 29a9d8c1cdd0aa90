package account

import (
	"net/http"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// setLang keeps the chosen language in a cookie and goes back to the page.
func (a *app) setLang(w http.ResponseWriter, r *http.Request) {
	webapp.SetCookie(w, r, webapp.CookieLang, webapp.Supported(r.PostFormValue("lang")), webapp.PrefAge)
	webapp.Redirect(w, r, webapp.LocalPath(r.PostFormValue("next"), "/"))
}

// setText switches the large-type mode.
func (a *app) setText(w http.ResponseWriter, r *http.Request) {
	v := r.PostFormValue("text")
	if v != "large" {
		v = "normal"
	}
	webapp.SetCookie(w, r, webapp.CookieText, v, webapp.PrefAge)
	webapp.Redirect(w, r, webapp.LocalPath(r.PostFormValue("next"), "/"))
}

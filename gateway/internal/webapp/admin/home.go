package admin

import (
	"net/http"
)

func (a *app) adminHome(w http.ResponseWriter, r *http.Request) {
	a.Render(w, r, http.StatusOK, "admin", a.NewPage(w, r, "admin.title", nil))
}

package coordinator

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/cohabit/cohabit/gateway/internal/webapp"
)

// listPage answers one of the programme's lists (hosts, students, matches, contracts): kind
// names its texts, its nav item and its template (coord_<kind>). The list is filtered by
// ?status=, one of the names of its status enum (names), anything else meaning all of them,
// and, for people (search), by ?q=; both come back in the filters' form. fetch asks the
// service for the first page and returns the page's data.
func listPage[S ~int32](a *app, w http.ResponseWriter, r *http.Request, kind string, names map[string]int32, search bool,
	fetch func(ctx context.Context, st S, q string) (any, error)) {
	status := r.URL.Query().Get("status")
	st := S(names[status])
	if st == 0 {
		status = ""
	}
	spec := webapp.FormSpec{{Name: "status", Label: kind + ".filter.status"}}
	values := url.Values{"status": {status}}
	q := ""
	if search {
		q = searchText(r)
		spec = append(webapp.FormSpec{{Name: "q", Label: kind + ".filter.q"}}, spec...)
		values.Set("q", q)
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	d, err := fetch(ctx, st, q)
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	p := a.NewPage(w, r, kind+".title", d)
	p.Nav = kind
	p.Form = webapp.NewForm(spec, values)
	a.Render(w, r, http.StatusOK, "coord_"+kind, p)
}

// searchText is a list's ?q=, cut to the 100 characters the services take: a pasted
// paragraph searches its beginning rather than failing the page.
func searchText(r *http.Request) string {
	q := []rune(strings.TrimSpace(r.URL.Query().Get("q")))
	return strings.TrimSpace(string(q[:min(len(q), 100)]))
}

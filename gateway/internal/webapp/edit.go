package webapp

import (
	"context"
	"net/http"
	"net/url"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// editor serves the coordinator's form to correct one kind of record (a host, a student):
// filled from the record, saved over the etag she read with every field of the form in the
// update mask (what she emptied is cleared). If someone changed the record meanwhile,
// nothing is written: a 409 keeps her edits on the page, pointed at the record as it is
// now, so that she reads them again and saves. R is the service's update request.
type editor[T interface {
	GetEtag() string
	GetDisplayName() string
}, R any] struct {
	spec formSpec
	tmpl string // the page's template
	nav  string
	key  string // the catalogue's prefix: <key>.title, <key>.heading, <key>.done
	page string // the record's page, before its id
	get  func(a *App, ctx context.Context, id string) (T, error)
	// values fills the form from the record; request reads the form into the update.
	values  func(T) url.Values
	request func(f *form, id string) R
	send    func(a *App, ctx context.Context, req R) error
}

// editData is an edit page's data: the record as it is in the service.
type editData[T any] struct {
	Record T
}

func (e editor[T, R]) show(a *App) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.call(r)
		defer cancel()
		rec, err := e.get(a, ctx, r.PathValue("id"))
		if err != nil {
			a.fail(w, r, err)
			return
		}
		e.render(a, w, r, http.StatusOK, rec, newForm(e.spec, e.values(rec)))
	}
}

func (e editor[T, R]) save(a *App) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("id")
		ctx, cancel := a.call(r)
		defer cancel()
		f := newForm(e.spec, r.PostForm)
		req := e.request(f, id) // reading the form finds what it cannot parse
		if f.ok() {
			err := e.send(a, ctx, req)
			if err == nil {
				setFlash(w, r, flash{Kind: "ok", Key: e.key + ".done"})
				redirect(w, r, e.page+url.PathEscape(id))
				return
			}
			if !f.fromUpdate(err, a.cat.loc(stateOf(r.Context()).lang, a.tz)) {
				a.fail(w, r, err)
				return
			}
		}
		current, err := e.get(a, ctx, id)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		e.render(a, w, r, f.rebase(current.GetEtag()), current, f)
	}
}

func (e editor[T, R]) render(a *App, w http.ResponseWriter, r *http.Request, code int, rec T, f *form) {
	p := a.newPage(w, r, e.key+".title", editData[T]{Record: rec})
	p.Title = p.L.T(e.key+".heading", "name", rec.GetDisplayName())
	p.Nav = e.nav
	p.Form = f
	a.render(w, r, code, e.tmpl, p)
}

// fromUpdate puts an update's refusal on the form: a stale etag (someone changed the record
// meanwhile) over it, field violations next to their fields. Anything else is not the
// form's to say: false.
func (f *form) fromUpdate(err error, l *Loc) bool {
	if status.Code(err) == codes.Aborted {
		f.fieldError("", "edit.conflict", "")
		f.localise(l)
		return true
	}
	return f.fromStatus(err, l)
}

// rebase points a refused edit form at the record as it is now and says how to answer: 409
// when the record changed since the form was filled (the edits stay on the page, and the
// next save goes over the current record), else 400.
func (f *form) rebase(currentEtag string) int {
	if f.Values.Get("etag") == currentEtag {
		return http.StatusBadRequest
	}
	f.Values.Set("etag", currentEtag)
	return http.StatusConflict
}

package webapp

import (
	"context"
	"net/http"
	"net/url"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// editor serves the form to correct one kind of record (a host, a student, a room): the
// coordinator's for any record of her programme, or the person's own. The form comes filled
// from the record and is saved over the etag read, with every field of the form in the
// update mask (what was emptied is cleared). If someone changed the record meanwhile,
// nothing is written: a 409 keeps the edits on the page, pointed at the record as it is now,
// to be read again and saved. The services decide who may change what; R is their update.
type editor[T interface {
	GetId() string
	GetEtag() string
}, R any] struct {
	spec formSpec
	kind string // "host", "student" or "room": the fields the page shows
	nav  string
	key  string // the catalogue's prefix: <key>.title, .heading, .intro, .back, .submit, .done
	// find reads the record as it is now: the one named in the address for a coordinator,
	// her own for a host or a student (none, without an id, when she has none yet: she is
	// sent to create it).
	find    func(a *App, ctx context.Context, r *http.Request) (T, error)
	create  string         // where a person without a record goes
	name    func(T) string // how the page names the record
	back    func(T) string // the record's page: the link back, and where a save goes
	action  func(string) string
	values  func(T) url.Values // fills the form from the record
	request func(f *form, id string) R
	send    func(a *App, ctx context.Context, req R) (T, error)
	// formulas: the form offers the programme's formulas (a room's).
	formulas bool
}

// editData is an edit page's data: the record as it is in the service, and where to go.
type editData[T any] struct {
	Record          T
	Name            string
	Kind, Key       string
	BackURL, Action string
	Formulas        []*identityv1.Formula
}

// byPath is a coordinator's editor's find: the record named in the address, read by get.
func byPath[T any](get func(a *App, ctx context.Context, id string) (T, error)) func(*App, context.Context, *http.Request) (T, error) {
	return func(a *App, ctx context.Context, r *http.Request) (T, error) { return get(a, ctx, r.PathValue("id")) }
}

func (e editor[T, R]) show(a *App) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.call(r)
		defer cancel()
		rec, err := e.find(a, ctx, r)
		if err != nil || rec.GetId() == "" {
			e.none(a, w, r, err)
			return
		}
		e.render(a, ctx, w, r, http.StatusOK, rec, newForm(e.spec, e.values(rec)))
	}
}

func (e editor[T, R]) save(a *App) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.call(r)
		defer cancel()
		rec, err := e.find(a, ctx, r)
		if err != nil || rec.GetId() == "" {
			e.none(a, w, r, err)
			return
		}
		id := rec.GetId()
		f := newForm(e.spec, r.PostForm)
		req := e.request(f, id) // reading the form finds what it cannot parse
		if f.ok() {
			saved, err := e.send(a, ctx, req)
			if err == nil {
				setFlash(w, r, flash{Kind: "ok", Key: e.key + ".done"})
				redirect(w, r, e.back(saved))
				return
			}
			if !f.fromUpdate(err, a.Cat.Loc(stateOf(r.Context()).lang, a.TZ)) {
				a.fail(w, r, err)
				return
			}
		}
		current, err := e.find(a, ctx, r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		e.render(a, ctx, w, r, f.rebase(current.GetEtag()), current, f)
	}
}

// none answers a person who has no record yet (she creates it first), or the error that
// kept her record from being found.
func (e editor[T, R]) none(a *App, w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		a.fail(w, r, err)
		return
	}
	redirect(w, r, e.create)
}

func (e editor[T, R]) render(a *App, ctx context.Context, w http.ResponseWriter, r *http.Request, code int, rec T, f *form) {
	d := editData[T]{Record: rec, Name: e.name(rec), Kind: e.kind, Key: e.key, BackURL: e.back(rec), Action: e.action(rec.GetId())}
	if e.formulas {
		prog, err := a.programmeOf(ctx, r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		d.Formulas = prog.GetSettings().GetFormulas()
	}
	p := a.newPage(w, r, e.key+".title", d)
	p.Title = p.L.T(e.key+".heading", "name", d.Name)
	p.Nav = e.nav
	p.Form = f
	a.render(w, r, code, "record_edit", p)
}

// fromUpdate puts an update's refusal on the form: a stale etag (someone changed the record
// meanwhile) or a state that forbids the change over it, field violations next to their
// fields. Anything else is not the form's to say: false.
func (f *form) fromUpdate(err error, l *Loc) bool {
	switch status.Code(err) {
	case codes.Aborted:
		f.fieldError("", "edit.conflict", "")
	case codes.FailedPrecondition: // a record its state keeps from changing (a room in a stay)
		f.fieldError("", refusalKey(l, reasonOf(err), "action.error.refused"), "")
	default:
		return f.fromStatus(err, l)
	}
	f.localise(l)
	return true
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

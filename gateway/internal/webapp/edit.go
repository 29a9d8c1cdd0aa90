package webapp

import (
	"context"
	"net/http"
	"net/url"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
)

// Editor serves the form to correct one kind of record (a host, a student, a room): the
// coordinator's for any record of her programme, or the person's own. The form comes filled
// from the record and is saved over the etag read, with every field of the form in the
// update mask (what was emptied is cleared). If someone changed the record meanwhile,
// nothing is written: a 409 keeps the edits on the page, pointed at the record as it is now,
// to be read again and saved. The services decide who may change what; R is their update.
type Editor[T interface {
	GetId() string
	GetEtag() string
}, R any] struct {
	Spec   FormSpec
	Kind   string // "host", "student" or "room": the fields the page shows
	Nav    string
	Prefix string // the catalogue's prefix: <key>.title, .heading, .intro, .back, .submit, .done
	// Find reads the record as it is now: the one named in the address for a coordinator,
	// her own for a host or a student (none, without an id, when she has none yet: she is
	// sent to create it).
	Find    func(a *App, ctx context.Context, r *http.Request) (T, error)
	Create  string         // where a person without a record goes
	Name    func(T) string // how the page names the record
	Back    func(T) string // the record's page: the link back, and where a save goes
	Action  func(string) string
	Values  func(T) url.Values // fills the form from the record
	Request func(f *Form, id string) R
	Send    func(a *App, ctx context.Context, req R) (T, error)
	// Formulas: the form offers the programme's formulas (a room's).
	Formulas bool
}

// editData is an edit page's data: the record as it is in the service, and where to go.
type editData[T any] struct {
	Record          T
	Name            string
	Kind, Key       string
	BackURL, Action string
	Formulas        []*identityv1.Formula
}

// Registration is the editor's counterpart for a new record (a host, a student), registered
// by the coordinator or by the person herself: a form that does not parse, or that the
// service refuses field by field, comes back with its errors (400); a refusal naming no field
// (her association registered her already) too with Refusals, else it is an error page.
// Done, a flash and the way on.
type Registration struct {
	Spec     FormSpec
	Prefix   string // the catalogue's prefix: <key>.title, .done
	Nav      string
	Template string
	Path     string // the form's page, when the form is posted elsewhere
	Refusals bool
}

// Show serves the empty form, filled with values.
func (g Registration) Show(a *App, w http.ResponseWriter, r *http.Request, values url.Values) {
	p := a.NewPage(w, r, g.Prefix+".title", nil)
	p.Nav = g.Nav
	p.Form = NewForm(g.Spec, values)
	a.Render(w, r, http.StatusOK, g.Template, p)
}

// Submit answers the form f posted: create sends the record read from it (after f has
// parsed) and says where to go then.
func (g Registration) Submit(a *App, w http.ResponseWriter, r *http.Request, f *Form, create func(ctx context.Context) (next string, err error)) {
	p := a.NewPage(w, r, g.Prefix+".title", nil)
	p.Nav = g.Nav
	if g.Path != "" {
		p.Path = g.Path
	}
	p.Form = f
	if !f.OK() {
		a.Render(w, r, http.StatusBadRequest, g.Template, p)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	next, err := create(ctx)
	if err != nil {
		if f.FromStatus(err, p.L) {
			a.Render(w, r, http.StatusBadRequest, g.Template, p)
			return
		}
		if key, _, ok := a.ActionError(err); g.Refusals && ok {
			f.Global(key)
			a.Render(w, r, http.StatusBadRequest, g.Template, p)
			return
		}
		a.Fail(w, r, err)
		return
	}
	SetFlash(w, r, Flash{Kind: "ok", Key: g.Prefix + ".done"})
	Redirect(w, r, next)
}

// Show serves the edit form, filled from the record as it is now.
func (e Editor[T, R]) Show(a *App) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.Call(r)
		defer cancel()
		if rec, ok := e.find(a, ctx, w, r); ok {
			e.render(a, ctx, w, r, http.StatusOK, rec, NewForm(e.Spec, e.Values(rec)))
		}
	}
}

// Save writes the form over the record read, or shows the form again with why it was refused.
func (e Editor[T, R]) Save(a *App) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := a.Call(r)
		defer cancel()
		rec, ok := e.find(a, ctx, w, r)
		if !ok {
			return
		}
		id := rec.GetId()
		f := NewForm(e.Spec, r.PostForm)
		req := e.Request(f, id) // reading the form finds what it cannot parse
		if f.OK() {
			saved, err := e.Send(a, ctx, req)
			if err == nil {
				SetFlash(w, r, Flash{Kind: "ok", Key: e.Prefix + ".done"})
				Redirect(w, r, e.Back(saved))
				return
			}
			if !f.fromUpdate(err, a.Cat.Loc(StateOf(r.Context()).Lang, a.TZ)) {
				a.Fail(w, r, err)
				return
			}
		}
		current, err := e.Find(a, ctx, r)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		e.render(a, ctx, w, r, f.rebase(current.GetEtag()), current, f)
	}
}

// find reads the record to edit; without one it answers: the error that kept it from being
// found, or, to a person who has no record yet, the way to create it first.
func (e Editor[T, R]) find(a *App, ctx context.Context, w http.ResponseWriter, r *http.Request) (T, bool) {
	rec, err := e.Find(a, ctx, r)
	switch {
	case err != nil:
		a.Fail(w, r, err)
	case rec.GetId() == "":
		Redirect(w, r, e.Create)
	default:
		return rec, true
	}
	return rec, false
}

func (e Editor[T, R]) render(a *App, ctx context.Context, w http.ResponseWriter, r *http.Request, code int, rec T, f *Form) {
	d := editData[T]{Record: rec, Name: e.Name(rec), Kind: e.Kind, Key: e.Prefix, BackURL: e.Back(rec), Action: e.Action(rec.GetId())}
	if e.Formulas {
		prog, err := a.ProgrammeOf(ctx, r)
		if err != nil {
			a.Fail(w, r, err)
			return
		}
		d.Formulas = prog.GetSettings().GetFormulas()
	}
	p := a.NewPage(w, r, e.Prefix+".title", d)
	p.Title = p.L.T(e.Prefix+".heading", "name", d.Name)
	p.Nav = e.Nav
	p.Form = f
	a.Render(w, r, code, "record_edit", p)
}

// fromUpdate puts an update's refusal on the form: a stale etag (someone changed the record
// meanwhile) or a state that forbids the change over it, field violations next to their
// fields. Anything else is not the form's to say: false.
func (f *Form) fromUpdate(err error, l *Loc) bool {
	switch status.Code(err) {
	case codes.Aborted:
		f.FieldError("", "edit.conflict", "")
	case codes.FailedPrecondition: // a record its state keeps from changing (a room in a stay)
		f.FieldError("", refusalKey(l, reasonOf(err), "action.error.refused"), "")
	default:
		return f.FromStatus(err, l)
	}
	f.localise(l)
	return true
}

// rebase points a refused edit form at the record as it is now and says how to answer: 409
// when the record changed since the form was filled (the edits stay on the page, and the
// next save goes over the current record), else 400.
func (f *Form) rebase(currentEtag string) int {
	if f.Values.Get("etag") == currentEtag {
		return http.StatusBadRequest
	}
	f.Values.Set("etag", currentEtag)
	return http.StatusConflict
}

package coordinator

import (
	"errors"
	"net/http"
	"strings"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// The person's rights in the web application (SPEC §9): the coordinator downloads a host's
// or a student's data and erases them; a host or a student downloads their own from home.
// The export is the REST API's (package export): the same services asked with the same
// token, the same ZIP.

// personExport serves the coordinator's download of a host's or a student's data.
func (a *app) personExport(kind privacyv1.PersonKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.SendExport(w, r, r.PathValue("id"), kind)
	}
}

// errEraseUnconfirmed is the erasure form sent without a reason or without the box that
// says the coordinator knows it cannot be undone: no service is asked.
var errEraseUnconfirmed = errors.New("erasure not confirmed")

// eraseReason reads the erasure form's reason, once the box is ticked.
func eraseReason(r *http.Request) (string, error) {
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	if reason == "" || r.PostFormValue("confirm") != "on" {
		return "", errEraseUnconfirmed
	}
	return reason, nil
}

func (a *app) hostErase(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	back := hostURL(id)
	reason, err := eraseReason(r)
	if err == nil {
		ctx, cancel := a.Call(r)
		defer cancel()
		_, err = a.Svc.Hosts.EraseHost(ctx, &hostsv1.EraseHostRequest{Id: id, Reason: reason})
	}
	a.afterErase(w, r, err, back, "/coordinator/hosts")
}

func (a *app) studentErase(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	back := studentURL(id)
	reason, err := eraseReason(r)
	if err == nil {
		ctx, cancel := a.Call(r)
		defer cancel()
		_, err = a.Svc.Students.EraseStudent(ctx, &studentsv1.EraseStudentRequest{Id: id, Reason: reason})
	}
	a.afterErase(w, r, err, back, "/coordinator/students")
}

// afterErase goes back to the person's page with why it was refused, or, once erased, to
// the list: the person's page answers 404 from now on.
func (a *app) afterErase(w http.ResponseWriter, r *http.Request, err error, back, list string) {
	if errors.Is(err, errEraseUnconfirmed) {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "privacy.erase.unconfirmed"})
		webapp.Redirect(w, r, back)
		return
	}
	if err != nil {
		key, detail, handled := a.ActionError(err)
		if !handled {
			a.Fail(w, r, err)
			return
		}
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: key, Detail: detail})
		webapp.Redirect(w, r, back)
		return
	}
	webapp.SetFlash(w, r, webapp.Flash{Kind: "ok", Key: "privacy.erased"})
	webapp.Redirect(w, r, list)
}

package webapp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/cohabit/cohabit/gateway/internal/export"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// The person's rights in the web application (SPEC §9): the coordinator downloads a host's
// or a student's data and erases them; a host or a student downloads their own from home.
// The export is the REST API's (package export): the same services asked with the same
// token, the same ZIP.

// personExport serves the coordinator's download of a host's or a student's data.
func (a *App) personExport(kind privacyv1.PersonKind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a.sendExport(w, r, r.PathValue("id"), kind)
	}
}

// myExport serves a host's or a student's download of their own data.
func (a *App) myExport(w http.ResponseWriter, r *http.Request) {
	me := stateOf(r.Context()).me
	switch {
	case me.GetHostId() != "":
		a.sendExport(w, r, me.GetHostId(), privacyv1.PersonKind_PERSON_KIND_HOST)
	case me.GetStudentId() != "":
		a.sendExport(w, r, me.GetStudentId(), privacyv1.PersonKind_PERSON_KIND_STUDENT)
	default:
		a.fail(w, r, status.Error(codes.NotFound, "this account has no host or student record"))
	}
}

func (a *App) sendExport(w http.ResponseWriter, r *http.Request, id string, kind privacyv1.PersonKind) {
	if a.Conns == nil {
		a.fail(w, r, status.Error(codes.Unavailable, "the export is not served here"))
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	ctx, cancelExport := context.WithTimeout(ctx, export.Timeout)
	defer cancelExport()
	parts, err := export.Gather(ctx, a.Conns, &privacyv1.ExportPersonalDataRequest{PersonId: id, Kind: kind})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := export.Write(&buf, id, kind, parts); err != nil {
		a.fail(w, r, fmt.Errorf("export %s: %w", id, err))
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", export.FileName(kind, id)))
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(buf.Bytes())
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

func (a *App) hostErase(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	back := "/coordinator/hosts/" + url.PathEscape(id)
	reason, err := eraseReason(r)
	if err == nil {
		ctx, cancel := a.call(r)
		defer cancel()
		_, err = a.svc.hosts.EraseHost(ctx, &hostsv1.EraseHostRequest{Id: id, Reason: reason})
	}
	a.afterErase(w, r, err, back, "/coordinator/hosts")
}

func (a *App) studentErase(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	back := "/coordinator/students/" + url.PathEscape(id)
	reason, err := eraseReason(r)
	if err == nil {
		ctx, cancel := a.call(r)
		defer cancel()
		_, err = a.svc.students.EraseStudent(ctx, &studentsv1.EraseStudentRequest{Id: id, Reason: reason})
	}
	a.afterErase(w, r, err, back, "/coordinator/students")
}

// afterErase goes back to the person's page with why it was refused, or, once erased, to
// the list: the person's page answers 404 from now on.
func (a *App) afterErase(w http.ResponseWriter, r *http.Request, err error, back, list string) {
	if errors.Is(err, errEraseUnconfirmed) {
		setFlash(w, r, flash{Kind: "error", Key: "privacy.erase.unconfirmed"})
		redirect(w, r, back)
		return
	}
	if err != nil {
		key, detail, handled := a.actionError(err)
		if !handled {
			a.fail(w, r, err)
			return
		}
		setFlash(w, r, flash{Kind: "error", Key: key, Detail: detail})
		redirect(w, r, back)
		return
	}
	setFlash(w, r, flash{Kind: "ok", Key: "privacy.erased"})
	redirect(w, r, list)
}

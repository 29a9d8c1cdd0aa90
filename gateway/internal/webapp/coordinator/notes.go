package coordinator

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// noteCreate writes a note on the record named by the form.
func (a *app) noteCreate(w http.ResponseWriter, r *http.Request) {
	back := webapp.LocalPath(r.PostFormValue("next"), "/coordinator") + "#notes"
	body := strings.TrimSpace(r.PostFormValue("body"))
	if body == "" {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "desk.note.error.empty"})
		webapp.Redirect(w, r, back)
		return
	}
	st := deskv1.SubjectType(deskv1.SubjectType_value[r.PostFormValue("subjectType")])
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Desk.CreateNote(ctx, &deskv1.CreateNoteRequest{
		SubjectId: r.PostFormValue("subjectId"), SubjectType: st, Body: body, RequestId: r.PostFormValue("requestId"),
	})
	r.PostForm.Set("next", back)
	a.AfterAction(w, r, err, "desk.note.saved", back)
}

// noteCorrect corrects a note (its earlier text is kept by the desk).
func (a *app) noteCorrect(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	back := webapp.LocalPath(r.PostFormValue("next"), "/coordinator") + "#note-" + url.PathEscape(id)
	body := strings.TrimSpace(r.PostFormValue("body"))
	if body == "" {
		webapp.SetFlash(w, r, webapp.Flash{Kind: "error", Key: "desk.note.error.empty"})
		webapp.Redirect(w, r, back)
		return
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	_, err := a.Svc.Desk.UpdateNote(ctx, &deskv1.UpdateNoteRequest{Id: id, Body: body, Etag: r.PostFormValue("etag")})
	r.PostForm.Set("next", back)
	a.AfterAction(w, r, err, "desk.note.corrected", back)
}

// notesOf adds the notes box and the timeline of subjectID (a host, a student, a match or a
// contract) to v (nil: a new view) for the coordinator's page of r: they show on her page of
// the record only, never on a host's or a student's (SPEC §6).
func (a *app) notesOf(r *http.Request, v *webapp.DeskView, subjectID string, st deskv1.SubjectType) *webapp.DeskView {
	if v == nil {
		v = &webapp.DeskView{Coord: true, Back: r.URL.Path}
	}
	v.NotesShown, v.SubjectID, v.SubjectType = true, subjectID, st
	if a.Svc.Desk == nil || subjectID == "" {
		v.Unavailable = a.Svc.Desk == nil
		return v
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	err := webapp.Parallel(
		func() error {
			res, err := a.Svc.Desk.ListNotes(ctx, &deskv1.ListNotesRequest{SubjectId: subjectID, PageSize: 100})
			v.Notes = res.GetNotes()
			return err
		},
		func() error {
			res, err := a.Svc.Desk.GetTimeline(ctx, &deskv1.GetTimelineRequest{SubjectId: subjectID})
			v.Timeline = res.GetEntries()
			return err
		},
	)
	if err != nil {
		a.Log.WarnContext(r.Context(), "web: notes", "err", err, "path", r.URL.Path)
		v.Unavailable = true
	}
	return v
}

package webapp

import (
	"net/http"
	"net/url"
	"strings"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// The coordinator's notes on a host, a student, a match or a contract, and the record's
// timeline (SPEC §6): on the coordinator's page of the record only, never on a host's or a
// student's.

// notesOf adds the notes box and the timeline of subjectID to v (nil: a new view) for the
// coordinator's page of r.
func (a *App) notesOf(r *http.Request, v *deskView, subjectID string, st deskv1.SubjectType) *deskView {
	if v == nil {
		v = &deskView{Coord: true, Back: r.URL.Path}
	}
	v.NotesShown, v.SubjectID, v.SubjectType = true, subjectID, st
	if a.svc.desk == nil || subjectID == "" {
		v.Unavailable = a.svc.desk == nil
		return v
	}
	ctx, cancel := a.call(r)
	defer cancel()
	err := parallel(
		func() error {
			res, err := a.svc.desk.ListNotes(ctx, &deskv1.ListNotesRequest{SubjectId: subjectID, PageSize: 100})
			v.Notes = res.GetNotes()
			return err
		},
		func() error {
			res, err := a.svc.desk.GetTimeline(ctx, &deskv1.GetTimelineRequest{SubjectId: subjectID})
			v.Timeline = res.GetEntries()
			return err
		},
	)
	if err != nil {
		a.log.WarnContext(r.Context(), "web: notes", "err", err, "path", r.URL.Path)
		v.Unavailable = true
	}
	return v
}

// noteCreate writes a note on the record named by the form.
func (a *App) noteCreate(w http.ResponseWriter, r *http.Request) {
	if a.svc.desk == nil {
		a.fail(w, r, errNoDesk)
		return
	}
	back := LocalPath(r.PostFormValue("next"), "/coordinator") + "#notes"
	body := strings.TrimSpace(r.PostFormValue("body"))
	if body == "" {
		setFlash(w, r, flash{Kind: "error", Key: "desk.note.error.empty"})
		redirect(w, r, back)
		return
	}
	st := deskv1.SubjectType(deskv1.SubjectType_value[r.PostFormValue("subjectType")])
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.desk.CreateNote(ctx, &deskv1.CreateNoteRequest{
		SubjectId: r.PostFormValue("subjectId"), SubjectType: st, Body: body, RequestId: r.PostFormValue("requestId"),
	})
	r.PostForm.Set("next", back)
	a.afterAction(w, r, err, "desk.note.saved", back)
}

// noteCorrect corrects a note (its earlier text is kept by the desk).
func (a *App) noteCorrect(w http.ResponseWriter, r *http.Request) {
	if a.svc.desk == nil {
		a.fail(w, r, errNoDesk)
		return
	}
	id := r.PathValue("id")
	back := LocalPath(r.PostFormValue("next"), "/coordinator") + "#note-" + url.PathEscape(id)
	body := strings.TrimSpace(r.PostFormValue("body"))
	if body == "" {
		setFlash(w, r, flash{Kind: "error", Key: "desk.note.error.empty"})
		redirect(w, r, back)
		return
	}
	ctx, cancel := a.call(r)
	defer cancel()
	_, err := a.svc.desk.UpdateNote(ctx, &deskv1.UpdateNoteRequest{Id: id, Body: body, Etag: r.PostFormValue("etag")})
	r.PostForm.Set("next", back)
	a.afterAction(w, r, err, "desk.note.corrected", back)
}

// Event words a timeline's life event in the page's language (the desk words them in
// English); an event this application does not know keeps the desk's words.
func (l *Loc) Event(code, summary string) string {
	return l.optional("timeline.event."+code, summary)
}

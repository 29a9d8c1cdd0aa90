package webapp

import (
	"net/http"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// The coordinator's notes on a host, a student, a match or a contract, and the record's
// timeline (SPEC §6): on the coordinator's page of the record only, never on a host's or a
// student's.

// NotesOf adds the notes box and the timeline of subjectID to v (nil: a new view) for the
// coordinator's page of r.
func (a *App) NotesOf(r *http.Request, v *deskView, subjectID string, st deskv1.SubjectType) *deskView {
	if v == nil {
		v = &deskView{Coord: true, Back: r.URL.Path}
	}
	v.NotesShown, v.SubjectID, v.SubjectType = true, subjectID, st
	if a.Svc.Desk == nil || subjectID == "" {
		v.Unavailable = a.Svc.Desk == nil
		return v
	}
	ctx, cancel := a.Call(r)
	defer cancel()
	err := Parallel(
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

// Event words a timeline's life event in the page's language (the desk words them in
// English); an event this application does not know keeps the desk's words.
func (l *Loc) Event(code, summary string) string {
	return l.Optional("timeline.event."+code, summary)
}

package coordinator

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cohabit/cohabit/gateway/internal/webapp"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
)

// The coordinator's agenda (SPEC §6): what needs her today, this week, and what is overdue,
// each item a link to the page where it is acted on; and the secret address of the same
// agenda as a calendar feed, which she can replace (the old one then stops).

type agendaData struct {
	Overdue, Today, Week []agendaEntry
	// FeedURL is the new calendar address, shown once after she asked for it.
	FeedURL string
}

func (a *app) agenda(w http.ResponseWriter, r *http.Request) {
	a.renderAgenda(w, r, "")
}

func (a *app) renderAgenda(w http.ResponseWriter, r *http.Request, feedURL string) {
	today := a.Today()
	ctx, cancel := a.Call(r)
	defer cancel()
	res, err := a.Svc.Desk.GetAgenda(ctx, &deskv1.GetAgendaRequest{
		From: today.Format(time.DateOnly), To: today.AddDate(0, 0, 6).Format(time.DateOnly), Language: webapp.StateOf(r.Context()).Lang,
	})
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	d := agendaData{FeedURL: feedURL}
	iso := today.Format(time.DateOnly)
	for _, item := range res.GetItems() {
		it := agendaEntry{item, itemLink(item)}
		switch {
		case it.GetOverdue() || it.GetDate() < iso:
			d.Overdue = append(d.Overdue, it)
		case it.GetDate() == iso:
			d.Today = append(d.Today, it)
		default:
			d.Week = append(d.Week, it)
		}
	}
	p := a.NewPage(w, r, "agenda.title", d)
	p.Nav = "agenda"
	// After the feed's POST, the language switch comes back to the agenda itself.
	p.Path = "/coordinator/agenda"
	a.Render(w, r, http.StatusOK, "coord_agenda", p)
}

// agendaFeed makes a new secret calendar address (the previous one stops working) and shows
// it once, on the agenda page.
func (a *app) agendaFeed(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := a.Call(r)
	f, err := a.Svc.Desk.CreateAgendaFeed(ctx, &deskv1.CreateAgendaFeedRequest{Language: webapp.StateOf(r.Context()).Lang})
	cancel()
	if err != nil {
		a.Fail(w, r, err)
		return
	}
	u := f.GetFeedUrl()
	if strings.HasPrefix(u, "/") {
		scheme := "https"
		if r.TLS == nil && r.Header.Get("X-Forwarded-Proto") != "https" {
			scheme = "http"
		}
		u = scheme + "://" + r.Host + u
	}
	a.renderAgenda(w, r, u)
}

// agendaEntry is an item with the page to act on it.
type agendaEntry struct {
	*deskv1.AgendaItem
	Link string
}

// itemLink is the page where an agenda item is acted on: the desk's link when it is one of
// this application's pages, else the record's page.
func itemLink(it *deskv1.AgendaItem) string {
	if l := webapp.LocalPath(it.GetLink(), ""); l != "" {
		return l
	}
	switch it.GetSubjectType() {
	case deskv1.SubjectType_SUBJECT_TYPE_HOST:
		return hostURL(it.GetSubjectId())
	case deskv1.SubjectType_SUBJECT_TYPE_STUDENT:
		return studentURL(it.GetSubjectId())
	case deskv1.SubjectType_SUBJECT_TYPE_MATCH:
		return "/coordinator/matches/" + url.PathEscape(it.GetSubjectId())
	case deskv1.SubjectType_SUBJECT_TYPE_CONTRACT:
		return "/coordinator/contracts/" + url.PathEscape(it.GetSubjectId())
	}
	return "/coordinator"
}

package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/cohabit/cohabit/services/desk/internal/agenda"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// Item is one line of the agenda.
type Item struct {
	postgres.AgendaRow
	ID      string
	Title   string
	Link    string
	Overdue bool
}

const (
	maxAgendaItems = 5000
	maxAgendaDays  = 400
	// Contracts ending, and notices taking effect, show this many days ahead (SPEC §6).
	endingDays = 60
	// A proposal unanswered this many days needs the coordinator (SPEC §6).
	proposalDays = 3
)

// Agenda lists what needs the coordinator between from and to (YYYY-MM-DD, both included;
// from defaults to today, to to a week after from), with what is overdue.
func (a *App) Agenda(ctx context.Context, from, to, lang string) ([]Item, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var v errs.Violations
	f, t := a.today(), date.Date{}
	if from != "" {
		f = date.Field(&v, "from", from)
	}
	if to != "" {
		t = date.Field(&v, "to", to)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if t.IsZero() {
		t = f.AddDays(7)
	}
	v.Check(!t.Before(f), "to", "must not be before from")
	v.Check(!t.After(f.AddDays(maxAgendaDays)), "to", "at most %d days after from", maxAgendaDays)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return a.agenda(ctx, p.ProgrammeID, f, t, agenda.Language(lang))
}

func (a *App) agenda(ctx context.Context, programmeID string, from, to date.Date, lang string) ([]Item, error) {
	q := a.store
	st, _, err := q.Settings(ctx, programmeID)
	if err != nil {
		return nil, err
	}
	today := a.today()
	rows, err := q.Agenda(ctx, postgres.AgendaQuery{
		ProgrammeID: programmeID, From: from, To: to, Today: today, WarningDays: warningDays(st),
		EndingDays: endingDays, ProposalDays: proposalDays, Limit: maxAgendaItems,
	})
	if err != nil {
		return nil, err
	}
	items := make([]Item, 0, len(rows))
	for _, r := range rows {
		items = append(items, Item{
			AgendaRow: r,
			ID:        agenda.ID(r.Kind, r.ItemID),
			Title:     agenda.Title(r.Kind, r.SubjectType, r.Detail, lang),
			Link:      agenda.Link(r.SubjectType, r.SubjectID),
			Overdue:   r.Date.Before(today),
		})
	}
	return items, nil
}

// FeedPath is where the gateway serves a feed: the secret is the credential.
const FeedPath = "/v1/agenda/feeds/"

// CreateFeed gives the coordinator a new secret feed address; the previous one stops working.
func (a *App) CreateFeed(ctx context.Context, lang string) (string, error) {
	p, err := principal(ctx)
	if err != nil {
		return "", err
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	err = a.store.Tx(ctx, func(q *postgres.Store) error {
		return q.ReplaceFeed(ctx, postgres.Feed{AccountID: p.AccountID, ProgrammeID: p.ProgrammeID, Language: agenda.Language(lang)}, hashSecret(secret), a.now())
	})
	if err != nil {
		return "", err
	}
	return FeedPath + secret + ".ics", nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

var secretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// The feed covers a month back (overdue items stay until handled anyway) and a quarter ahead.
const (
	feedPastDays   = 30
	feedFutureDays = 92
)

// FeedCalendar returns the iCalendar feed (RFC 5545) at a secret address: the agenda of the
// feed's programme, in its coordinator's language, every item all-day on its date (a meeting
// at its time), UTC, UID stable per item, no names, a link to act on it.
func (a *App) FeedCalendar(ctx context.Context, secret string) ([]byte, error) {
	secret = strings.TrimSuffix(secret, ".ics")
	if !secretRE.MatchString(secret) {
		return nil, errBadFeed
	}
	f, ok, err := a.store.FeedBySecret(ctx, hashSecret(secret))
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errBadFeed
	}
	today := a.today()
	items, err := a.agenda(ctx, f.ProgrammeID, today.AddDays(-feedPastDays), today.AddDays(feedFutureDays), f.Language)
	if err != nil {
		return nil, err
	}
	return []byte(a.calendar(items, f.Language)), nil
}

func (a *App) calendar(items []Item, lang string) string {
	cal := ics.NewCalendar()
	cal.SetMethod(ics.MethodPublish)
	cal.SetProductId("-//Cohabit//Agenda//" + strings.ToUpper(lang))
	name := "Cohabit — agenda"
	if lang == "fr" {
		name = "Cohabit — agenda de coordination"
	}
	cal.SetXWRCalName(name)
	cal.SetRefreshInterval("PT1H")
	stamp := a.now().UTC().Truncate(time.Second)
	base := strings.TrimRight(a.publicURL, "/")
	for _, it := range items {
		ev := cal.AddEvent(it.ID + "@cohabit")
		ev.SetDtStampTime(stamp)
		if it.At != nil {
			ev.SetStartAt(it.At.UTC())
			ev.SetEndAt(it.At.UTC().Add(time.Hour))
		} else {
			day := it.Date.Time()
			ev.SetAllDayStartAt(day)
			ev.SetAllDayEndAt(day.AddDate(0, 0, 1))
		}
		ev.SetSummary(it.Title)
		ev.SetURL(base + it.Link)
		ev.SetDescription(base + it.Link)
	}
	return cal.Serialize()
}

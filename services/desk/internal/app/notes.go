package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/desk/internal/agenda"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/page"
)

const maxNoteLen = 10000

// ErrSubjectNotFound: no host, student, match or contract of the caller's programme has that id.
var ErrSubjectNotFound = errs.NotFound("SUBJECT_NOT_FOUND", "no such host, student, match or contract")

func parseDate(s string) (date.Date, error) {
	if s == "" {
		return date.Date{}, nil
	}
	d, err := date.Parse(s)
	if err != nil {
		return d, fmt.Errorf("date %q: %w", s, err)
	}
	return d, nil
}

func checkBody(body string) (string, error) {
	body = strings.TrimSpace(body)
	if body == "" || utf8.RuneCountInString(body) > maxNoteLen {
		return "", errs.Invalid(errs.Violation{Field: "body", Description: fmt.Sprintf("is required (at most %d characters)", maxNoteLen)})
	}
	return body, nil
}

// subject finds a record of the coordinator's programme. The desk learns records from events:
// one created a moment ago may not have arrived yet, so an unknown id is looked for again for
// a short while before it is called unknown.
func (a *App) subject(ctx context.Context, programmeID, id, wantType string) (string, error) {
	if !ids.Valid(id) {
		return "", ErrSubjectNotFound
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		kind, prog, err := a.store.Subject(ctx, id)
		if err != nil {
			return "", err
		}
		if kind != "" {
			if prog != programmeID {
				return "", ErrSubjectNotFound
			}
			return kind, nil
		}
		if time.Now().After(deadline) {
			if wantType != "" {
				// A record the desk has not heard of yet: the coordinator named its type, and
				// the note stays within her programme.
				return wantType, nil
			}
			return "", ErrSubjectNotFound
		}
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// CreateNote writes a coordinator's note on a host, student, match or contract of her
// programme.
func (a *App) CreateNote(ctx context.Context, subjectID, subjectType, body, requestID string) (*postgres.Note, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	var v errs.Violations
	v.Check(ids.Valid(subjectID), "subjectId", "is required (a host's, student's, match's or contract's id)")
	body, berr := checkBody(body)
	if berr != nil {
		v.Add("body", "is required (at most %d characters)", maxNoteLen)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	kind, err := a.subject(ctx, p.ProgrammeID, subjectID, subjectType)
	if err != nil {
		return nil, err
	}
	now := a.now()
	n := &postgres.Note{ID: ids.New(), ProgrammeID: p.ProgrammeID, SubjectID: subjectID, SubjectType: kind, Body: body,
		AuthorID: p.AccountID, Version: 1, CreatedAt: now, UpdatedAt: now}
	var out *postgres.Note
	err = a.store.Tx(ctx, func(q *postgres.Store) error {
		out, err = q.InsertNote(ctx, n, requestID)
		return err
	})
	return out, err
}

// UpdateNote corrects a note of the coordinator's programme; its earlier text is kept.
func (a *App) UpdateNote(ctx context.Context, id, body, sentEtag string) (*postgres.Note, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	body, err = checkBody(body)
	if err != nil {
		return nil, err
	}
	if !ids.Valid(id) {
		return nil, postgres.ErrNoteNotFound
	}
	var out *postgres.Note
	err = a.store.Tx(ctx, func(q *postgres.Store) error {
		n, err := q.Note(ctx, id, true)
		if err != nil {
			return err
		}
		if !p.CoordinatesProgramme(n.ProgrammeID) {
			return postgres.ErrNoteNotFound
		}
		if err := etag.Check(sentEtag, n.Version); err != nil {
			return err
		}
		if n.Body == body {
			out = n
			return nil
		}
		out, err = q.CorrectNote(ctx, n, body, p.AccountID, a.now())
		return err
	})
	return out, err
}

// ListNotes lists the notes on a record of the coordinator's programme, newest first.
func (a *App) ListNotes(ctx context.Context, subjectID string, pg page.Request) ([]*postgres.Note, string, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, "", err
	}
	if !ids.Valid(subjectID) {
		return nil, "", errs.Invalid(errs.Violation{Field: "subjectId", Description: "is required (a host's, student's, match's or contract's id)"})
	}
	after, limit, err := pg.Bounds()
	if err != nil {
		return nil, "", err
	}
	notes, err := a.store.Notes(ctx, subjectID, after, limit)
	if err != nil {
		return nil, "", err
	}
	mine := notes[:0]
	for _, n := range notes {
		if p.CoordinatesProgramme(n.ProgrammeID) {
			mine = append(mine, n)
		}
	}
	return mine, page.Next(mine, limit, func(n *postgres.Note) string { return n.ID }), nil
}

// Entry is one line of a timeline.
type Entry struct {
	At      time.Time
	Note    *postgres.Note
	Event   string
	Summary string
}

const timelineLimit = 500

// Timeline returns a record's notes and life events, newest first.
func (a *App) Timeline(ctx context.Context, subjectID string) ([]Entry, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if !ids.Valid(subjectID) {
		return nil, errs.Invalid(errs.Violation{Field: "subjectId", Description: "is required (a host's, student's, match's or contract's id)"})
	}
	q := a.store
	_, prog, err := q.Subject(ctx, subjectID)
	if err != nil {
		return nil, err
	}
	notes, err := q.Notes(ctx, subjectID, "", timelineLimit)
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, n := range notes {
		if p.CoordinatesProgramme(n.ProgrammeID) {
			out = append(out, Entry{At: n.CreatedAt, Note: n, Summary: n.Body})
		}
	}
	if prog != "" && !p.CoordinatesProgramme(prog) {
		return nil, ErrSubjectNotFound
	}
	if prog == "" && len(out) == 0 {
		return nil, nil // nothing known of it yet
	}
	life, err := q.LifeEvents(ctx, subjectID, timelineLimit)
	if err != nil {
		return nil, err
	}
	for _, e := range life {
		out = append(out, Entry{At: e.At, Event: e.Code, Summary: agenda.EventSummary(e.Code, "en")})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, nil
}

// errBadFeed hides whether a secret ever existed.
var errBadFeed = errs.NotFound("FEED_NOT_FOUND", "no such feed")

package app

import (
	"context"
	"slices"
	"time"

	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/page"
)

// ErrNoPrincipal is a call without an authenticated caller (the interceptor prevents it).
var ErrNoPrincipal = errs.Unauthenticated("UNAUTHENTICATED", "sign in first")

// ListQuery filters the list of notifications.
type ListQuery struct {
	RecipientID string
	Status      notice.Status
	Channel     notice.Channel
	Page        page.Request
}

// List returns one page of notifications, newest first, and the next page's token. A
// coordinator sees their programme's (the call list is its CALL channel, PENDING); a host
// or a student only their own — a recipientId that is not theirs answers an empty list, as
// for a record that does not exist. Errors: Invalid (page token).
func (a *App) List(ctx context.Context, q ListQuery) ([]postgres.Notification, string, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return nil, "", ErrNoPrincipal
	}
	after, limit, err := q.Page.Bounds()
	if err != nil {
		return nil, "", err
	}
	f := postgres.Filter{Status: q.Status, Channel: q.Channel, After: after, Limit: limit}
	switch p.Role {
	case auth.RoleCoordinator:
		f.ProgrammeID = p.ProgrammeID
		if q.RecipientID != "" {
			f.RecipientIDs = []string{q.RecipientID}
		}
	default:
		// A person's own: the records their account owns, and the account itself.
		mine, err := a.Store.RecordsOf(ctx, p.AccountID)
		if err != nil {
			return nil, "", err
		}
		mine = append(mine, p.AccountID)
		if q.RecipientID != "" {
			if !slices.Contains(mine, q.RecipientID) {
				return nil, "", nil
			}
			mine = []string{q.RecipientID}
		}
		f.RecipientIDs = mine
	}
	ns, err := a.Store.List(ctx, f)
	if err != nil {
		return nil, "", err
	}
	return ns, page.Next(ns, limit, func(n postgres.Notification) string { return n.ID }), nil
}

// Settings returns the caller's settings and when they last changed (nil: never).
func (a *App) Settings(ctx context.Context) (notice.Settings, *time.Time, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return notice.Settings{}, nil, ErrNoPrincipal
	}
	return a.Store.Settings(ctx, p.AccountID)
}

// SettingsChange is a change of settings: nil fields stay as they are.
type SettingsChange struct {
	Email    *bool
	SMS      *bool
	Language *string
}

// UpdateSettings changes the caller's settings. Errors: Invalid (language).
func (a *App) UpdateSettings(ctx context.Context, c SettingsChange) (notice.Settings, time.Time, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return notice.Settings{}, time.Time{}, ErrNoPrincipal
	}
	if c.Language != nil {
		if err := notice.CheckLanguage(*c.Language); err != nil {
			return notice.Settings{}, time.Time{}, err
		}
	}
	now := a.Now()
	s, err := a.Store.SaveSettings(ctx, p.AccountID, now, func(s *notice.Settings) error {
		if c.Email != nil {
			s.Email = *c.Email
		}
		if c.SMS != nil {
			s.SMS = *c.SMS
		}
		if c.Language != nil {
			s.Language = *c.Language
		}
		return nil
	})
	return s, now, err
}

package app

import (
	"context"
	"encoding/base64"

	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
)

const (
	defaultPageSize = 50
	maxPageSize     = 200
)

// ProgrammePage is one page of programmes; NextPageToken is empty on the last page.
type ProgrammePage struct {
	Programmes    []*programme.Programme
	NextPageToken string
}

// ListProgrammes pages through programmes in id order. Anyone may call it: sign-up forms need
// it, and a programme holds no personal data (name, territory, the association's contact,
// settings). Errors: errs.Invalid for a negative page size or a token this did not issue.
func (a *App) ListProgrammes(ctx context.Context, pageSize int, pageToken string) (ProgrammePage, error) {
	var v errs.Violations
	v.Check(pageSize >= 0, "pageSize", "must not be negative")
	after, err := base64.RawURLEncoding.DecodeString(pageToken)
	// A token decodes to a programme id; anything else would reach PostgreSQL as a cast
	// error, a 500 (issue 18).
	v.Check(err == nil && (len(after) == 0 || ids.Valid(string(after))), "pageToken", "is not a token from a previous page")
	if err := v.Err(); err != nil {
		return ProgrammePage{}, err
	}
	switch {
	case pageSize == 0:
		pageSize = defaultPageSize
	case pageSize > maxPageSize:
		pageSize = maxPageSize
	}
	// One more than asked tells whether another page follows.
	ps, err := a.store.ListProgrammes(ctx, string(after), pageSize+1)
	if err != nil {
		return ProgrammePage{}, err
	}
	page := ProgrammePage{Programmes: ps}
	if len(ps) > pageSize {
		page.Programmes = ps[:pageSize]
		page.NextPageToken = base64.RawURLEncoding.EncodeToString([]byte(ps[pageSize-1].ID()))
	}
	return page, nil
}

// Package page is keyset pagination over lists ordered by id: a client asks for a size and
// passes back the token of the previous page, which is the last id it saw.
package page

import (
	"fmt"
	"unicode/utf8"

	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// Sizes of a page: an unset or non-positive size gets DefaultSize, a larger one than MaxSize
// gets MaxSize.
const (
	DefaultSize = 50
	MaxSize     = 200
)

// ErrBadToken is a page token that no list gave: InvalidArgument on "pageToken".
var ErrBadToken = errs.Invalid(errs.Violation{Field: "pageToken", Description: "is not a token this list gave"})

// Request is the page a client asks for: at most Size items after the one Token names.
type Request struct {
	Size  int
	Token string
}

// Bounds returns the id to list after ("" for the first page) and how many items to list.
// Errors: Invalid (ErrBadToken) when the token is not an id, so that it never reaches
// PostgreSQL as a cast error.
func (r Request) Bounds() (after string, limit int, err error) {
	limit = r.Size
	switch {
	case limit <= 0:
		limit = DefaultSize
	case limit > MaxSize:
		limit = MaxSize
	}
	if r.Token != "" && !ids.Valid(r.Token) {
		return "", 0, ErrBadToken
	}
	return r.Token, limit, nil
}

// Next returns the token of the page after items, listed with limit: the id of the last item
// of a full page, or "" when the page is not full (there is no next page).
func Next[T any](items []T, limit int, id func(T) string) string {
	if len(items) == 0 || len(items) < limit {
		return ""
	}
	return id(items[len(items)-1])
}

// MaxQuery is the longest search text a list takes, in characters.
const MaxQuery = 100

// CheckQuery refuses a list's search text longer than MaxQuery: InvalidArgument on "query".
func CheckQuery(q string) error {
	if n := utf8.RuneCountInString(q); n > MaxQuery {
		return errs.Invalid(errs.Violation{Field: "query", Description: fmt.Sprintf("must be at most %d characters (it has %d)", MaxQuery, n)})
	}
	return nil
}

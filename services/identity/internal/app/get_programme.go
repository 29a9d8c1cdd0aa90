package app

import (
	"context"

	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// GetProgramme returns one programme; anyone may call it (see ListProgrammes).
// Errors: errs.Invalid for an empty id; programme.ErrNotFound.
func (a *App) GetProgramme(ctx context.Context, id string) (*programme.Programme, error) {
	if id == "" {
		return nil, errs.Invalid(errs.Violation{Field: "id", Description: "is required"})
	}
	return a.store.Programme(ctx, id)
}

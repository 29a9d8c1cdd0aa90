package app

import (
	"context"

	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
)

// ProgrammeChange is the input of UpdateProgramme.
type ProgrammeChange struct {
	ID string
	// Etag, when set, must be the programme's current one.
	Etag   string
	Fields programme.Fields
	// Paths name the fields to change, in lowerCamelCase ("settings.hostMinAge").
	Paths []string
}

// UpdateProgramme changes a programme's fields named in Paths: an admin may change any
// programme, a coordinator only their own.
// Errors: PermissionDenied; errs.Invalid; programme.ErrNotFound; etag.ErrStale
// (Aborted) when the programme changed since the caller read it.
func (a *App) UpdateProgramme(ctx context.Context, in ProgrammeChange) (*programme.Programme, error) {
	p, err := principal(ctx)
	if err != nil {
		return nil, err
	}
	if in.ID == "" {
		return nil, errs.Invalid(errs.Violation{Field: "programme.id", Description: "is required"})
	}
	// Programmes are public, so refusing here reveals nothing a NotFound would hide.
	if !p.Is(auth.RoleAdmin) && !p.CoordinatesProgramme(in.ID) {
		return nil, errs.PermissionDenied("NOT_YOUR_PROGRAMME", "only an admin or a coordinator of this programme may change it")
	}
	now := a.now()
	return a.store.UpdateProgramme(ctx, in.ID, func(prog *programme.Programme) error {
		return prog.Update(in.Etag, in.Fields, in.Paths, now)
	})
}

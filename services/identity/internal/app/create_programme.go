package app

import (
	"context"

	"github.com/google/uuid"

	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/platform/errs"
)

const maxRequestIDLen = 128

// NewProgramme is the input of CreateProgramme.
type NewProgramme struct {
	// ID is optional: a fresh one is made when empty.
	ID     string
	Fields programme.Fields
	// RequestID makes retries safe: the same one returns the programme created the first time.
	RequestID string
}

// CreateProgramme lets an admin open a programme; settings left at zero take the legal
// defaults. Errors: PermissionDenied for anyone but an admin; errs.Invalid;
// programme.ErrExists (AlreadyExists) for a taken id.
func (a *App) CreateProgramme(ctx context.Context, in NewProgramme) (*programme.Programme, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	if len(in.RequestID) > maxRequestIDLen {
		return nil, errs.Invalid(errs.Violation{Field: "requestId", Description: "must be at most 128 characters"})
	}
	id := in.ID
	if id == "" {
		id = uuid.NewString()
	}
	f := in.Fields
	f.Settings = f.Settings.WithDefaults()
	p, err := programme.New(id, f, a.now())
	if err != nil {
		return nil, err
	}
	return a.store.CreateProgramme(ctx, p, in.RequestID)
}

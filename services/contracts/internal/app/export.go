package app

import (
	"context"

	"github.com/cohabit/cohabit/services/platform/export"
)

// Export is the contracts service's part of a person's export (SPEC §9): her contracts, with
// their check-ins (what the coordinators recorded about the stay) and incidents.
func (a *App) Export(ctx context.Context, p export.Person) (export.Part, error) {
	caller, err := export.Caller(ctx)
	if err != nil {
		return export.Part{}, err
	}
	kind := "HOST"
	if p.Kind == export.Student {
		kind = "STUDENT"
	}
	h, ok, err := a.store.HeldAbout(ctx, kind, p.ID)
	if err != nil || !ok || !export.MayRead(caller, h.ProgrammeID, h.OwnerAccountID) {
		return export.Part{}, err
	}
	return export.Part{Fields: map[string]any{"contracts": h.Contracts, "checkins": h.Checkins, "incidents": h.Incidents}}, nil
}

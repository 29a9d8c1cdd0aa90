package service

import (
	"context"

	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/export"
)

// exporter is the desk's part of a person's export (SPEC §9): her documents with their
// files, and the coordinators' notes about her with their earlier versions (art. 15: notes
// are written knowing this).
func exporter(store *postgres.Store) export.Exporter {
	return func(ctx context.Context, p export.Person) (export.Part, error) {
		caller, err := export.Caller(ctx)
		if err != nil {
			return export.Part{}, err
		}
		h, ok, err := store.HeldAbout(ctx, p.ID)
		if err != nil || !ok || !export.MayRead(caller, h.ProgrammeID, h.OwnerAccountID) {
			return export.Part{}, err
		}
		return export.Part{Fields: map[string]any{"documents": h.Documents, "notes": h.Notes}, Files: h.Files}, nil
	}
}

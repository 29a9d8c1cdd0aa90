package app

import (
	"context"

	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/platform/export"
)

// Export is matching's part of a person's export (SPEC §9): its copy of them (the profile it
// scores on, their rooms or applications) and their matches, each without the other party:
// no summary, no id, no account (another person's data).
func (a *App) Export(ctx context.Context, p export.Person) (export.Part, error) {
	caller, err := export.Caller(ctx)
	if err != nil {
		return export.Part{}, err
	}
	host := p.Kind == export.Host
	c, ok, err := a.store.PoolCopyOf(ctx, host, p.ID)
	if err != nil || !ok || !export.MayRead(caller, c.ProgrammeID, c.OwnerAccountID) {
		return export.Part{}, err
	}
	matches, err := a.store.MatchesOfPerson(ctx, host, p.ID)
	if err != nil {
		return export.Part{}, err
	}
	records := make([]match.Record, 0, len(matches))
	for _, m := range matches {
		r := m.Record()
		if host {
			r.Pair.Student, r.Pair.StudentAccountID, r.Pair.StudentID, r.Pair.ApplicationID = pool.Summary{}, "", "", ""
		} else {
			r.Pair.Host, r.Pair.HostAccountID, r.Pair.HostID = pool.Summary{}, "", ""
		}
		r.HostAnsweredBy, r.StudentAnsweredBy = "", "" // accounts, one of them the other party's
		records = append(records, r)
	}
	items := "rooms"
	if !host {
		items = "applications"
	}
	return export.Part{Fields: map[string]any{"profile": c.Profile, items: c.Items, "matches": records}}, nil
}

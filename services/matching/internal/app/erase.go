package app

import (
	"context"

	"github.com/jackc/pgx/v5"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/matching/internal/match"
	"github.com/cohabit/cohabit/services/matching/internal/pool"
	"github.com/cohabit/cohabit/services/platform/erasure"
)

// erasedReason is the cancellation reason of a proposal whose party was erased: a fixed
// phrase, which says nothing about the person.
const erasedReason = "a party's data was erased"

// ErasePerson applies an erasure (SPEC §9), in the erasure consumer's transaction tx: the
// person leaves the pool; in each of their matches, their summary (name, age, languages…)
// is replaced by the neutral placeholder and the free text (decline and cancel reasons) is
// dropped, so that no list, ranking or match shows them; an open proposal (PROPOSED,
// MEETING_SCHEDULED, ACCEPTED) is cancelled, and its match.cancelled event tells the other
// party through notifications; so is one APPROVED in the moment before the erasure arrived
// (see below). A completed match keeps its status: the other party's history.
func (a *App) ErasePerson(ctx context.Context, tx pgx.Tx, p erasure.Person) error {
	now := a.now()
	// The copy of the desk's documents about the person goes too (ids, kinds and states).
	if err := a.store.Within(tx).DeleteDocumentsOf(ctx, p.ID); err != nil {
		return err
	}
	return a.store.Within(tx).ErasePerson(ctx, p, func(m *match.Match) ([]*eventsv1.Envelope, error) {
		r := m.Record()
		blank := pool.Summary{DisplayName: erasure.Placeholder}
		if p.Kind == erasure.Host {
			r.Pair.Host, r.Pair.HostAccountID = blank, ""
		} else {
			r.Pair.Student, r.Pair.StudentAccountID = blank, ""
		}
		r.DeclineReason, r.CancelReason = "", ""
		scrubbed := match.FromRecord(r)
		*m = *scrubbed
		// An approved match too: the owner refuses an erasure while it knows of one, so one
		// here was approved in the moment between the erasure and its arrival (the owner learns
		// of approvals by events); its cancellation undoes the draft contract the same way.
		if !m.Status().Open() && m.Status() != match.StatusApproved {
			return nil, nil
		}
		if err := m.Cancel(erasedReason, now); err != nil {
			return nil, err
		}
		return one(changed(m, "", now))
	})
}

package app

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// Event is what a consumer hands a use case, with the inbox transaction: the event (its id), the
// programme, when it happened, and the timeline's code for it ("" when it is not part of a
// record's life).
type Event struct {
	ID, ProgrammeID, Code string
	At                    time.Time
}

// PersonChanged keeps the desk's copy of a host or student and creates the documents now
// required of them, MISSING (at registration, and when isTenant changes).
func (a *App) PersonChanged(ctx context.Context, tx pgx.Tx, e Event, p postgres.Person) error {
	q := a.store.Within(tx)
	if err := q.SavePerson(ctx, p, e.At); err != nil {
		return err
	}
	st, _, err := q.Settings(ctx, p.ProgrammeID)
	if err != nil {
		return err
	}
	if err := a.ensureRequired(ctx, q, p, st, e.At); err != nil {
		return err
	}
	return q.AddLifeEvent(ctx, e.ID, e.ProgrammeID, e.Code, e.At, lifeSubjects(e.Code, p.ID)...)
}

func lifeSubjects(code string, ids ...string) []string {
	if code == "" {
		return nil
	}
	return ids
}

// ensureRequired creates each document the settings require of p that p has not got yet.
func (a *App) ensureRequired(ctx context.Context, q *postgres.Store, p postgres.Person, st *identityv1.ProgrammeSettings, at time.Time) error {
	for _, k := range requirements(st).For(p.Party, p.IsTenant) {
		d := document.New(ids.New(), p.ProgrammeID, p.ID, p.Party, k, true, "", at)
		_, created, err := q.InsertDocument(ctx, d, "")
		if err != nil {
			return err
		}
		if created {
			if err := a.publishRequested(ctx, q, d); err != nil {
				return err
			}
		}
	}
	return nil
}

// SettingsChanged gives everyone of a programme the documents its new settings require.
func (a *App) SettingsChanged(ctx context.Context, tx pgx.Tx, e Event, st *identityv1.ProgrammeSettings) error {
	q := a.store.Within(tx)
	people, err := q.PeopleOf(ctx, e.ProgrammeID)
	if err != nil {
		return err
	}
	for _, p := range people {
		if err := a.ensureRequired(ctx, q, p, st, e.At); err != nil {
			return err
		}
	}
	return nil
}

// MatchChanged keeps the copy of a match and its place in the parties' timelines.
func (a *App) MatchChanged(ctx context.Context, tx pgx.Tx, e Event, m postgres.Match) error {
	q := a.store.Within(tx)
	if err := q.SaveMatch(ctx, m, e.At); err != nil {
		return err
	}
	return q.AddLifeEvent(ctx, e.ID, e.ProgrammeID, e.Code, e.At, lifeSubjects(e.Code, m.ID, m.HostID, m.StudentID)...)
}

// ContractChanged keeps the copy of a contract and its place in the timelines.
func (a *App) ContractChanged(ctx context.Context, tx pgx.Tx, e Event, c postgres.Contract) error {
	q := a.store.Within(tx)
	if err := q.SaveContract(ctx, c, e.At); err != nil {
		return err
	}
	return q.AddLifeEvent(ctx, e.ID, e.ProgrammeID, e.Code, e.At, lifeSubjects(e.Code, c.ID, c.MatchID, c.HostID, c.StudentID)...)
}

// CheckinChanged keeps the copy of a check-in (due and missed ones are on the agenda).
func (a *App) CheckinChanged(ctx context.Context, tx pgx.Tx, e Event, id, contractID, status, due string) error {
	q := a.store.Within(tx)
	d, err := parseDate(due)
	if err != nil {
		return err
	}
	if err := q.SaveCheckin(ctx, id, e.ProgrammeID, contractID, status, d, e.At); err != nil {
		return err
	}
	if e.Code == "" {
		return nil
	}
	hostID, studentID, _, err := q.ContractParties(ctx, contractID)
	if err != nil {
		return err
	}
	return q.AddLifeEvent(ctx, e.ID, e.ProgrammeID, e.Code, e.At, contractID, hostID, studentID)
}

// ContractLifeEvent records a fact about a contract (an incident) in its timelines.
func (a *App) ContractLifeEvent(ctx context.Context, tx pgx.Tx, e Event, contractID string) error {
	q := a.store.Within(tx)
	hostID, studentID, _, err := q.ContractParties(ctx, contractID)
	if err != nil {
		return err
	}
	return q.AddLifeEvent(ctx, e.ID, e.ProgrammeID, e.Code, e.At, contractID, hostID, studentID)
}

// CallChanged keeps a line of the call list.
func (a *App) CallChanged(ctx context.Context, tx pgx.Tx, e Event, id, recipientID, topic, status string) error {
	q := a.store.Within(tx)
	return q.SaveCall(ctx, id, e.ProgrammeID, recipientID, topic, status, e.At)
}

// ErasePerson applies an erasure (SPEC §9) in tx, the erasure consumer's transaction: the
// person's documents and files, the notes on them and on their matches and contracts, their
// calls and their timeline go (postgres.Store.ErasePerson).
func (a *App) ErasePerson(ctx context.Context, tx pgx.Tx, p erasure.Person) error {
	return a.store.Within(tx).ErasePerson(ctx, p)
}

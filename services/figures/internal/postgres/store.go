// Package postgres stores the figures' read model: facts taken from other services' events
// (ids, days, states, coded reasons), each applied once per consumer through the inbox, and
// loaded back as the histories the figures are computed from.
//
// Every fact is an upsert whose result does not depend on the order facts arrive in: a day
// that is known stays known (the earliest wins where two could differ), a contract's dates
// come from its latest event by occurrence time, flags (cancelled, ended early) only ever go
// from false to true. An event handled twice is skipped by the inbox, and would change
// nothing anyway.
package postgres

import (
	"context"
	"embed"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/figures/internal/figures"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/schema"
)

//go:embed migrations/*.sql
var migrations embed.FS

// dbSchema is the schema of the figures database: the platform's sets (the outbox: boot's relay
// reads it; figures publishes nothing), then the read model (schema.Service).
var dbSchema = schema.Service("figures_schema_version", migrations)

// Sets are the migration sets of the figures database, in the order they apply.
func Sets() []pg.Migrations { return dbSchema.Sets() }

// Migrate brings the database at url to the current schema.
func Migrate(ctx context.Context, url string) error { return dbSchema.Migrate(ctx, url) }

// Store reads and writes the read model. A Store made by Within applies facts (Apply) in
// that transaction; Apply refuses to run outside one.
type Store struct {
	pool *pgxpool.Pool
	tx   pgx.Tx
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Within returns a store bound to tx, a transaction opened elsewhere: an event consumer's
// inbox transaction (platform/consume), so that a fact commits with the claim of the event
// that tells it, or rolls back with it for the redelivery to try again.
func (s *Store) Within(tx pgx.Tx) *Store { return &Store{pool: s.pool, tx: tx} }

// inTx is the transaction the store is bound to, or pg.ErrNoTx.
func (s *Store) inTx() (pgx.Tx, error) { return pg.Bound("figures store", s.tx) }

// Fact is one thing an event tells the figures.
type Fact interface {
	apply(ctx context.Context, tx pgx.Tx) error
}

// Apply applies f in the store's transaction, the inbox transaction of the event that tells it.
func (s *Store) Apply(ctx context.Context, f Fact) error {
	tx, err := s.inTx()
	if err != nil {
		return err
	}
	return f.apply(ctx, tx)
}

// dayOrNil is a date column's value: NULL for the zero day.
func dayOrNil(d date.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time()
}

// ProgrammeNamed: a programme exists, with its name.
type ProgrammeNamed struct{ ID, Name string }

func (f ProgrammeNamed) apply(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO programmes (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name`, f.ID, f.Name)
	return wrap(err, "programme %s", f.ID)
}

// Kind is a host or a student.
type Kind string

// Kinds of person.
const (
	Host    Kind = "host"
	Student Kind = "student"
)

func (k Kind) table() string {
	if k == Host {
		return "hosts"
	}
	return "students"
}

// Registered: a host or student was registered on a day.
type Registered struct {
	Kind            Kind
	ID, ProgrammeID string
	On              date.Date
}

func (f Registered) apply(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO `+f.Kind.table()+` (id, programme_id, registered_on) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET registered_on = EXCLUDED.registered_on`, f.ID, f.ProgrammeID, dayOrNil(f.On))
	return wrap(err, "%s %s registered", f.Kind, f.ID)
}

// StatusChanged: a host or student took a status (figures.StatusVerified, …) at an instant.
type StatusChanged struct {
	EventID         string
	Kind            Kind
	ID, ProgrammeID string
	At              time.Time
	On              date.Date
	Status          string
}

func (f StatusChanged) apply(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `INSERT INTO `+f.Kind.table()+` (id, programme_id) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING`, f.ID, f.ProgrammeID); err != nil {
		return wrap(err, "%s %s", f.Kind, f.ID)
	}
	_, err := tx.Exec(ctx, `INSERT INTO status_changes (event_id, kind, person_id, programme_id, at, on_day, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
		f.EventID, string(f.Kind), f.ID, f.ProgrammeID, f.At, f.On.Time(), f.Status)
	return wrap(err, "%s %s %s", f.Kind, f.ID, f.Status)
}

// ApplicationSubmitted: an application was submitted on a day.
type ApplicationSubmitted struct {
	ID, ProgrammeID string
	On              date.Date
}

func (f ApplicationSubmitted) apply(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO applications (id, programme_id, submitted_on) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET submitted_on = LEAST(applications.submitted_on, EXCLUDED.submitted_on)`, f.ID, f.ProgrammeID, f.On.Time())
	return wrap(err, "application %s", f.ID)
}

// MatchChanged: a match was proposed or approved on a day (the zero day for the other).
type MatchChanged struct {
	ID, ProgrammeID, ApplicationID string
	Proposed, Approved             date.Date
}

func (f MatchChanged) apply(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO matches (id, programme_id, application_id, proposed_on, approved_on) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (id) DO UPDATE SET application_id = EXCLUDED.application_id,
			proposed_on = LEAST(matches.proposed_on, EXCLUDED.proposed_on),
			approved_on = LEAST(matches.approved_on, EXCLUDED.approved_on)`,
		f.ID, f.ProgrammeID, f.ApplicationID, dayOrNil(f.Proposed), dayOrNil(f.Approved))
	return wrap(err, "match %s", f.ID)
}

// ContractChanged: what one contract event says of a possible stay. Start and End are the
// dates the event carries, as of At; Activated is set by the activation, Cancelled by a
// cancellation before the stay, Early and Reason by a notice or termination.
type ContractChanged struct {
	ID, ProgrammeID, HostID, StudentID string
	Start, End                         date.Date
	At                                 time.Time
	Activated                          date.Date
	Cancelled, Early                   bool
	Reason                             string
}

func (f ContractChanged) apply(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO contracts (id, programme_id, host_id, student_id, start_date, end_date, dates_at, activated_on, cancelled, early, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET host_id = EXCLUDED.host_id, student_id = EXCLUDED.student_id,
			start_date = CASE WHEN EXCLUDED.dates_at >= contracts.dates_at THEN EXCLUDED.start_date ELSE contracts.start_date END,
			end_date = CASE WHEN EXCLUDED.dates_at >= contracts.dates_at THEN EXCLUDED.end_date ELSE contracts.end_date END,
			dates_at = GREATEST(contracts.dates_at, EXCLUDED.dates_at),
			activated_on = LEAST(contracts.activated_on, EXCLUDED.activated_on),
			cancelled = contracts.cancelled OR EXCLUDED.cancelled,
			early = contracts.early OR EXCLUDED.early,
			reason = CASE WHEN EXCLUDED.reason <> '' THEN EXCLUDED.reason ELSE contracts.reason END`,
		f.ID, f.ProgrammeID, f.HostID, f.StudentID, dayOrNil(f.Start), dayOrNil(f.End), f.At, dayOrNil(f.Activated), f.Cancelled, f.Early, f.Reason)
	return wrap(err, "contract %s", f.ID)
}

// CheckinDone: a check-in was recorded on a day, late or not.
type CheckinDone struct {
	ID, ProgrammeID string
	On              date.Date
	Late            bool
}

func (f CheckinDone) apply(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `INSERT INTO checkins (id, programme_id, done_on, late) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET done_on = LEAST(checkins.done_on, EXCLUDED.done_on), late = checkins.late OR EXCLUDED.late`,
		f.ID, f.ProgrammeID, f.On.Time(), f.Late)
	return wrap(err, "check-in %s", f.ID)
}

func wrap(err error, format string, args ...any) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("figures: "+format+": %w", append(args, err)...)
}

// Programme is a programme the figures know.
type Programme struct{ ID, Name string }

// Programmes lists the programmes known, by name.
func (s *Store) Programmes(ctx context.Context) ([]Programme, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, name FROM programmes ORDER BY name, id`)
	if err != nil {
		return nil, wrap(err, "list programmes")
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Programme, error) {
		var p Programme
		return p, r.Scan(&p.ID, &p.Name)
	})
}

// Programme returns one programme, and false when the figures have not heard of it.
func (s *Store) Programme(ctx context.Context, id string) (Programme, bool, error) {
	p := Programme{ID: id}
	err := s.pool.QueryRow(ctx, `SELECT name FROM programmes WHERE id = $1`, id).Scan(&p.Name)
	if err == pgx.ErrNoRows {
		return p, false, nil
	}
	return p, err == nil, wrap(err, "programme %s", id)
}

func day(t *time.Time) date.Date {
	if t == nil {
		return date.Date{}
	}
	return date.Of(t.UTC())
}

// Histories loads, by programme, what the figures of from..to need: every host and student
// with their status changes and every stay (waiting and stays under way depend on all of
// them), the matches proposed or approved and the check-ins done in the period. programmeID
// "" loads every programme.
func (s *Store) Histories(ctx context.Context, programmeID string, from, to date.Date) (map[string]*figures.History, error) {
	hs := map[string]*figures.History{}
	of := func(p string) *figures.History {
		h := hs[p]
		if h == nil {
			h = &figures.History{}
			hs[p] = h
		}
		return h
	}
	// $1 = '' selects every programme.
	const mine = `($1 = '' OR programme_id = $1)`
	f, t := from.Time(), to.Time()

	batch := &pgx.Batch{}
	people := map[Kind]map[string]int{Host: {}, Student: {}}
	for _, k := range []Kind{Host, Student} {
		batch.Queue(`SELECT programme_id, id, registered_on FROM `+k.table()+` WHERE `+mine+` ORDER BY id`, programmeID).Query(func(rows pgx.Rows) error {
			var p, id string
			var reg *time.Time
			_, err := pgx.ForEachRow(rows, []any{&p, &id, &reg}, func() error {
				h := of(p)
				if k == Host {
					people[k][id] = len(h.Hosts)
					h.Hosts = append(h.Hosts, figures.Person{ID: id, Registered: day(reg)})
				} else {
					people[k][id] = len(h.Students)
					h.Students = append(h.Students, figures.Person{ID: id, Registered: day(reg)})
				}
				return nil
			})
			return err
		})
	}
	batch.Queue(`SELECT programme_id, kind, person_id, at, on_day, status FROM status_changes WHERE `+mine, programmeID).Query(func(rows pgx.Rows) error {
		var p, kind, id, status string
		var at, on time.Time
		_, err := pgx.ForEachRow(rows, []any{&p, &kind, &id, &at, &on, &status}, func() error {
			h := of(p)
			i, ok := people[Kind(kind)][id]
			if !ok {
				return nil
			}
			c := figures.Change{On: date.Of(on.UTC()), At: at, Status: status}
			if Kind(kind) == Host {
				h.Hosts[i].Changes = append(h.Hosts[i].Changes, c)
			} else {
				h.Students[i].Changes = append(h.Students[i].Changes, c)
			}
			return nil
		})
		return err
	})
	batch.Queue(`SELECT m.programme_id, m.proposed_on, m.approved_on, a.submitted_on FROM matches m
		LEFT JOIN applications a ON a.id = m.application_id
		WHERE ($1 = '' OR m.programme_id = $1) AND (m.proposed_on BETWEEN $2 AND $3 OR m.approved_on BETWEEN $2 AND $3)`, programmeID, f, t).Query(func(rows pgx.Rows) error {
		var p string
		var proposed, approved, applied *time.Time
		_, err := pgx.ForEachRow(rows, []any{&p, &proposed, &approved, &applied}, func() error {
			h := of(p)
			h.Matches = append(h.Matches, figures.Match{Proposed: day(proposed), Approved: day(approved), Applied: day(applied)})
			return nil
		})
		return err
	})
	batch.Queue(`SELECT programme_id, host_id, student_id, activated_on, start_date, end_date, early, reason FROM contracts
		WHERE `+mine+` AND activated_on IS NOT NULL AND NOT cancelled AND start_date IS NOT NULL AND end_date IS NOT NULL`, programmeID).Query(func(rows pgx.Rows) error {
		var p, host, student, reason string
		var activated, start, end time.Time
		var early bool
		_, err := pgx.ForEachRow(rows, []any{&p, &host, &student, &activated, &start, &end, &early, &reason}, func() error {
			h := of(p)
			h.Stays = append(h.Stays, figures.Stay{HostID: host, StudentID: student, Activated: date.Of(activated.UTC()),
				Start: date.Of(start.UTC()), End: date.Of(end.UTC()), Early: early, Reason: reason})
			return nil
		})
		return err
	})
	// Check-ins are counted by day: a programme does tens of thousands.
	batch.Queue(`SELECT programme_id, done_on, late, count(*) FROM checkins WHERE `+mine+` AND done_on BETWEEN $2 AND $3
		GROUP BY programme_id, done_on, late`, programmeID, f, t).Query(func(rows pgx.Rows) error {
		var p string
		var done time.Time
		var late bool
		var n int
		_, err := pgx.ForEachRow(rows, []any{&p, &done, &late, &n}, func() error {
			h := of(p)
			h.Checkins = append(h.Checkins, figures.Checkin{Done: date.Of(done.UTC()), Late: late, Count: n})
			return nil
		})
		return err
	})
	if err := s.pool.SendBatch(ctx, batch).Close(); err != nil {
		return nil, wrap(err, "load the histories")
	}
	return hs, nil
}

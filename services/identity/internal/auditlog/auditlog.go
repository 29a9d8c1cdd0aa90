// Package auditlog keeps the platform's audit trail (SPEC §9): it follows every service's
// cohabit.<service>.audit.recorded facts into the append-only audit_events table, lists a
// person's entries for the coordinators of their programme, and purges entries after a year.
//
// Why identity: it already knows every host and student of every programme (its copy of the
// records, for invitations and /v1/me), which is what a list needs to keep a coordinator to
// her programme's people, and it holds no other person data that would make the trail one
// more copy of it. Why events: each service records a fact in the transaction-safe outbox it
// already has; no service waits on identity to serve a read.
package auditlog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/proto/eventcat/all"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Entry is one stored read or change.
type Entry struct {
	ID, ActorID, ActorRole, Action, Method string
	Time                                   time.Time
	// SubjectID and SubjectKind are the person an entry is listed under.
	SubjectID, SubjectKind string
}

// Log reads and writes the audit_events table. A Log made by Within records facts in that
// transaction.
type Log struct {
	pool *pgxpool.Pool
	tx   pgx.Tx
}

// New returns the log over pool.
func New(pool *pgxpool.Pool) *Log { return &Log{pool: pool} }

// Within returns the log bound to tx, a transaction opened elsewhere: an audit consumer's
// inbox transaction (platform/consume), so that a fact is stored with its event's claim.
func (l *Log) Within(tx pgx.Tx) *Log { return &Log{pool: l.pool, tx: tx} }

// errNoTx is a fact to record asked of a log that is not bound to a transaction.
var errNoTx = errors.New("audit log: recording runs in a transaction (Log.Within)")

// Consumers returns one durable consumer per stream of the event catalogue,
// "identity-audit-<service>": a service added to the catalogue is followed at once.
func (l *Log) Consumers(log *slog.Logger) []*natsx.Consumer {
	streams := all.Streams()
	out := make([]*natsx.Consumer, 0, len(streams))
	for _, s := range streams {
		ev, _ := all.Audit(s.Service)
		out = append(out, consume.Group{Durable: "identity-audit-" + s.Service, DB: l.pool, Handlers: []consume.Handler{
			consume.On(ev, func(ctx context.Context, tx pgx.Tx, m consume.Meta, f *eventsv1.AuditRecorded) error {
				return l.Within(tx).record(ctx, m.ID, f)
			}),
		}}.Consumer(log))
	}
	return out
}

// Record stores fact under its event id: a redelivered fact adds nothing.
func (l *Log) Record(ctx context.Context, eventID string, f *eventsv1.AuditRecorded) error {
	if !ids.Valid(eventID) {
		return fmt.Errorf("%w: audit fact with id %q", natsx.ErrPermanent, eventID)
	}
	return pg.InTx(ctx, l.pool, func(tx pgx.Tx) error { return l.Within(tx).record(ctx, eventID, f) })
}

// record stores fact under its event id, in the log's transaction. A subject whose kind the fact leaves open (a
// recipient_id, an owner_id) takes it from the copy of the records; one that names no known
// record is dropped (an id of something else).
func (l *Log) record(ctx context.Context, eventID string, f *eventsv1.AuditRecorded) error {
	tx := l.tx
	if tx == nil {
		return fmt.Errorf("record audit %s: %w", eventID, errNoTx)
	}
	var subjects, kinds []string
	for _, s := range f.GetSubjects() {
		kind := s.GetKind()
		if kind == "" {
			err := tx.QueryRow(ctx, `SELECT kind FROM records WHERE id = $1 LIMIT 1`, s.GetId()).Scan(&kind)
			if errors.Is(err, pgx.ErrNoRows) {
				continue
			}
			if err != nil {
				return fmt.Errorf("kind of %s: %w", s.GetId(), err)
			}
		}
		subjects, kinds = append(subjects, s.GetId()), append(kinds, kind)
	}
	if len(subjects) == 0 {
		return nil
	}
	if _, err := tx.Exec(ctx, `INSERT INTO audit_events (id, time, actor_id, actor_role, actor_programme_id, action, method, subject_ids, subject_kinds)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING`,
		eventID, f.GetTime().AsTime(), f.GetActorId(), f.GetActorRole(), f.GetActorProgrammeId(), f.GetAction(), f.GetMethod(),
		subjects, kinds); err != nil {
		return fmt.Errorf("record audit %s: %w", eventID, err)
	}
	return nil
}

// Subject returns the programme and kind of the person id, from the copy of the records;
// false when identity knows no such person (never was, or erased).
func (l *Log) Subject(ctx context.Context, id string) (programmeID, kind string, ok bool, err error) {
	if !ids.Valid(id) {
		return "", "", false, nil
	}
	err = l.pool.QueryRow(ctx, `SELECT programme_id, kind FROM records WHERE id = $1 LIMIT 1`, id).Scan(&programmeID, &kind)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", false, nil
	}
	if err != nil {
		return "", "", false, fmt.Errorf("find record %s: %w", id, err)
	}
	return programmeID, kind, true, nil
}

// List returns up to limit entries naming subjectID, newest first, before the entry id
// before ("" for the first page). Entry ids are UUIDv7, in time order.
func (l *Log) List(ctx context.Context, subjectID, before string, limit int) ([]Entry, error) {
	rows, err := l.pool.Query(ctx, `SELECT id::text, time, actor_id, actor_role, action, method,
			subject_kinds[array_position(subject_ids, $1)]
		FROM audit_events WHERE subject_ids @> ARRAY[$1]::text[] AND ($2 = '' OR id < NULLIF($2, '')::uuid)
		ORDER BY id DESC LIMIT $3`, subjectID, before, limit)
	if err != nil {
		return nil, fmt.Errorf("list audit of %s: %w", subjectID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (Entry, error) {
		e := Entry{SubjectID: subjectID}
		return e, r.Scan(&e.ID, &e.Time, &e.ActorID, &e.ActorRole, &e.Action, &e.Method, &e.SubjectKind)
	})
}

// Purge deletes the entries older than Retention, saying so to the table's trigger, and
// returns how many.
func (l *Log) Purge(ctx context.Context) (int64, error) {
	var n int64
	err := pg.InTx(ctx, l.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL cohabit.audit_purge = 'on'`); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM audit_events WHERE time < now() - interval '1 year'`)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("purge the audit trail: %w", err)
	}
	return n, nil
}

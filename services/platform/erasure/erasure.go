// Package erasure is what every service shares about erasing a person (SPEC §9): the event
// that says it (cohabit.hosts.host.erased, cohabit.students.student.erased, ids only), the
// table of the ids erased, and the consumers that apply it once per service.
//
// Why a table of ids: the erasure travels on the hosts or students stream, while other facts
// about the person travel on other streams (and even on the same stream, a service's other
// consumers move independently of its erasure consumer). An erasure may thus be applied
// before an event it follows; the service remembers the id and every handler that would
// store something about a person first asks Erased, so the erasure wins whatever the order.
package erasure

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the erased_people table's schema, to apply with pg.Migrate.
func Migrations() pg.Migrations {
	return pg.Embedded("erasure_schema_version", migrations)
}

// Kind is which record a person is.
type Kind string

// The kinds of person.
const (
	Host    Kind = "host"
	Student Kind = "student"
)

// Person is who was erased: ids only.
type Person struct {
	ID          string
	Kind        Kind
	AccountID   string // "" for a person without an account
	ProgrammeID string
}

// Event returns the erasure's event, for the owning service's outbox.
func Event(p Person, at time.Time) (*eventsv1.Envelope, error) {
	ev, kind := hostsevents.HostErased, eventsv1.PersonKind_PERSON_KIND_HOST
	if p.Kind == Student {
		ev, kind = studentsevents.StudentErased, eventsv1.PersonKind_PERSON_KIND_STUDENT
	}
	return event.Of(ev, p.ProgrammeID, at, &eventsv1.PersonErased{
		PersonId: p.ID, Kind: kind, AccountId: p.AccountID, ProgrammeId: p.ProgrammeID,
	})
}

// lockClass is the first key of the per-person advisory locks (two int4 keys: a space of its
// own, apart from the one-bigint locks the outbox relay takes): "ERAS".
const lockClass = 0x45524153

// Erased says whether any of ids was erased. Called in the transaction that would store
// something about the person, it first takes the person's transaction lock, which Remember
// takes too: an erasure and a write about the same person never interleave. Without it a
// write that checked before the erasure committed could store the person again just after
// the erasure deleted them. Empty ids are ignored.
func Erased(ctx context.Context, db interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}, ids ...string) (bool, error) {
	// Two statements: under READ COMMITTED a statement reads the snapshot it started with,
	// so the read must start after the lock is held to see an erasure committed meanwhile.
	var n int
	if err := db.QueryRow(ctx, `SELECT count(pg_advisory_xact_lock($2, hashtext(id)))
		FROM (SELECT DISTINCT id FROM unnest($1::text[]) AS id WHERE id <> '' ORDER BY id) AS people`, ids, lockClass).Scan(&n); err != nil {
		return false, fmt.Errorf("lock erased people: %w", err)
	}
	var found bool
	if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM erased_people WHERE id = ANY($1))`, ids).Scan(&found); err != nil {
		return false, fmt.Errorf("read erased people: %w", err)
	}
	return found, nil
}

// Remember records p as erased, in tx, under p's transaction lock (see Erased). It says
// whether p was new: false means the erasure was applied before and must not be applied again.
func Remember(ctx context.Context, tx pgx.Tx, p Person) (bool, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext($2))`, lockClass, p.ID); err != nil {
		return false, fmt.Errorf("lock %s: %w", p.ID, err)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO erased_people (id, kind) VALUES ($1, $2) ON CONFLICT DO NOTHING`, p.ID, string(p.Kind))
	if err != nil {
		return false, fmt.Errorf("remember erasure of %s: %w", p.ID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// ForgetPublished deletes the outbox's published rows that name id (every event carries its
// record's id as text, so the bytes of the id are in the envelope): they may hold the
// person's display name, and their job, reaching JetStream, is done. Rows not yet published
// stay, so no consumer misses a fact: the erasure's consumer forgets them once they are out
// (forget).
func ForgetPublished(ctx context.Context, tx pgx.Tx, id string) error {
	return forget(ctx, tx, id, "")
}

// forget deletes the outbox rows that name id and are published, or come before the erasure
// event erasureID in the outbox's order: the relay publishes in that order and the erasure
// event has reached a consumer, so those rows have reached JetStream even if the relay has
// not marked them yet. Only the service that published the erasure holds erasureID.
func forget(ctx context.Context, tx pgx.Tx, id, erasureID string) error {
	if _, err := tx.Exec(ctx, `DELETE FROM outbox WHERE position(convert_to($1::text, 'UTF8') IN envelope) > 0
		AND (published_at IS NOT NULL OR seq < coalesce((SELECT seq FROM outbox WHERE id::text = $2), 0))`, id, erasureID); err != nil {
		return fmt.Errorf("forget published events of %s: %w", id, err)
	}
	return nil
}

// Apply is what one service does about an erased person, in the transaction that claims the
// event and remembers the id. It runs once per service and person.
type Apply func(ctx context.Context, tx pgx.Tx, p Person) error

// Consumers returns the service's two durable consumers of erasures, "<service>-erasure-hosts"
// and "<service>-erasure-students", which apply each erasure once through the inbox and
// remember the id. The service that owns the record (hosts, students) applied it when it
// erased (apply is not called again: the id is remembered), but it follows its own stream's
// erasures too, to forget the events about the person that were still on their way then.
func Consumers(db pg.Beginner, service string, log *slog.Logger, apply Apply) []*natsx.Consumer {
	h, s := handlers(apply)
	return []*natsx.Consumer{
		consume.Group{Durable: service + "-erasure-hosts", DB: db, Handlers: []consume.Handler{h}}.Consumer(log),
		consume.Group{Durable: service + "-erasure-students", DB: db, Handlers: []consume.Handler{s}}.Consumer(log),
	}
}

// handlers are the erasures' handlers, of hosts and of students: in the inbox transaction,
// remember the person and call apply (a person already remembered, by the same erasure under
// another event id or by the owner's own, is not applied again); every time, the outbox
// forgets the events that named the person and are out.
func handlers(apply Apply) (hosts, students consume.Handler) {
	fn := func(ctx context.Context, tx pgx.Tx, m consume.Meta, e *eventsv1.PersonErased) error {
		p, err := personOf(e)
		if err != nil {
			return consume.Permanent(err)
		}
		fresh, err := Remember(ctx, tx, p)
		if err != nil {
			return err
		}
		if fresh {
			if err := apply(ctx, tx, p); err != nil {
				return err
			}
		}
		return forget(ctx, tx, p.ID, m.ID)
	}
	return consume.On(hostsevents.HostErased, fn), consume.On(studentsevents.StudentErased, fn)
}

// Handle applies one erasure event as consumer's: what Consumers' consumers do with it.
func Handle(ctx context.Context, db pg.Beginner, consumer string, e *eventsv1.Envelope, apply Apply) error {
	h, s := handlers(apply)
	for _, one := range []consume.Handler{h, s} {
		if one.Subject() == e.GetType() {
			return consume.Group{Durable: consumer, DB: db, Handlers: []consume.Handler{one}}.Consumer(slog.New(slog.DiscardHandler)).Handle(ctx, e)
		}
	}
	return consume.Permanent(fmt.Errorf("%s is not an erasure", e.GetType()))
}

// Decode reads the person of an erasure event.
func Decode(e *eventsv1.Envelope) (Person, error) {
	m, err := event.Payload(e, &eventsv1.PersonErased{})
	if err != nil {
		return Person{}, err
	}
	return personOf(m)
}

func personOf(m *eventsv1.PersonErased) (Person, error) {
	p := Person{ID: m.GetPersonId(), AccountID: m.GetAccountId(), ProgrammeID: m.GetProgrammeId()}
	switch m.GetKind() {
	case eventsv1.PersonKind_PERSON_KIND_HOST:
		p.Kind = Host
	case eventsv1.PersonKind_PERSON_KIND_STUDENT:
		p.Kind = Student
	default:
		return Person{}, errors.New("erasure of an unknown kind of person")
	}
	if !ids.Valid(p.ID) {
		return Person{}, errors.New("erasure of an invalid id")
	}
	return p, nil
}

// Placeholder stands for an erased person's name where a record of someone else keeps a
// place for it (the other party's contract, a match's summary): neutral in every language.
const Placeholder = "—"

// Nothing is the Apply of a service that holds nothing about that kind of person: the id is
// still remembered, so a service that later keeps something checks Erased as every other.
func Nothing(context.Context, pgx.Tx, Person) error { return nil }

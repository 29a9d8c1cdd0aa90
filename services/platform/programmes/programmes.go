// Package programmes keeps a service's copy of the programmes' settings, which the identity
// service owns and announces as events (ARCHITECTURE.md: each service keeps the copy it
// needs instead of asking on every request). It holds the table, its migrations, the consumer
// that fills it, and the read; what a service makes of the settings is its own business.
package programmes

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// The identity service's stream and the events that carry a programme's settings.
const (
	Stream         = "IDENTITY"
	Subjects       = "cohabit.identity.programme.>"
	SubjectCreated = "cohabit.identity.programme.created"
	SubjectUpdated = "cohabit.identity.programme.updated"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Migrations is the programmes table's schema, to apply with pg.Migrate, with the inbox's
// (which the consumer needs).
func Migrations() pg.Migrations {
	return pg.Embedded("programmes_schema_version", migrations)
}

// Querier is what Get reads through: a pool, a connection or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Get returns the copy of programme id's settings, and false when none has arrived yet (the
// caller decides what applies meanwhile). Errors: the database's, or a row that does not
// decode.
func Get(ctx context.Context, db Querier, id string) (*identityv1.ProgrammeSettings, bool, error) {
	var data []byte
	err := db.QueryRow(ctx, `SELECT settings FROM programmes WHERE id = $1`, id).Scan(&data)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read programme %s: %w", id, err)
	}
	var st identityv1.ProgrammeSettings
	if err := proto.Unmarshal(data, &st); err != nil {
		return nil, false, fmt.Errorf("decode programme %s: %w", id, err)
	}
	return &st, true, nil
}

// Save stores the settings of programme id as of at, in tx (the consumer's inbox
// transaction). A row already written from a later event is kept: events of one programme
// may arrive out of order (a redelivery after a nak), and the newest settings win.
func Save(ctx context.Context, tx pgx.Tx, id string, st *identityv1.ProgrammeSettings, at time.Time) error {
	data, err := proto.Marshal(st)
	if err != nil {
		return fmt.Errorf("encode programme %s: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO programmes (id, settings, updated_at) VALUES ($1, $2, $3)
		ON CONFLICT (id) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at
		WHERE programmes.updated_at <= EXCLUDED.updated_at`, id, data, at); err != nil {
		return fmt.Errorf("save programme %s: %w", id, err)
	}
	return nil
}

// Consumer consumes the identity service's programme events into the programmes table of
// pool's database, each event once (through the inbox, as consumer service). Its durable name
// is "<service>-identity". An event that does not decode is terminated; other event types on
// the subjects are acknowledged and ignored.
func Consumer(pool *pgxpool.Pool, service string, log *slog.Logger) *natsx.Consumer {
	return &natsx.Consumer{
		Stream:   Stream,
		Durable:  service + "-identity",
		Subjects: []string{Subjects},
		Log:      log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			p, ok, err := programme(e)
			if err != nil || !ok {
				return err
			}
			return inbox.Handle(ctx, pool, service, e.GetId(), func(tx pgx.Tx) error {
				return Save(ctx, tx, p.GetId(), p.GetSettings(), e.GetOccurredAt().AsTime())
			})
		},
	}
}

// programme returns the programme e carries, and false for an event type that carries none.
// Errors: ErrPermanent when the payload does not decode (no retry will fix it).
func programme(e *eventsv1.Envelope) (*identityv1.Programme, bool, error) {
	switch e.GetType() {
	case SubjectCreated:
		m, err := event.Payload(e, &identityeventsv1.ProgrammeCreated{})
		if err != nil {
			return nil, false, fmt.Errorf("%w: %w", natsx.ErrPermanent, err)
		}
		return m.GetProgramme(), true, nil
	case SubjectUpdated:
		m, err := event.Payload(e, &identityeventsv1.ProgrammeUpdated{})
		if err != nil {
			return nil, false, fmt.Errorf("%w: %w", natsx.ErrPermanent, err)
		}
		return m.GetProgramme(), true, nil
	default:
		return nil, false, nil
	}
}

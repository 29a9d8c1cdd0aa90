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

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/consume"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
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

// Consumer consumes the identity service's programme events (created, updated) into the
// programmes table of pool's database, each event once (through the inbox, as consumer
// service). Its durable name is "<service>-identity".
func Consumer(pool *pgxpool.Pool, service string, log *slog.Logger) *natsx.Consumer {
	save := func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *identityv1.Programme) error {
		return Save(ctx, tx, p.GetId(), p.GetSettings(), m.OccurredAt)
	}
	return consume.Group{Durable: service + "-identity", Inbox: service, DB: pool, Handlers: []consume.Handler{
		consume.On(identityevents.ProgrammeCreated, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *identityeventsv1.ProgrammeCreated) error {
			return save(ctx, tx, m, p.GetProgramme())
		}),
		consume.On(identityevents.ProgrammeUpdated, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *identityeventsv1.ProgrammeUpdated) error {
			return save(ctx, tx, m, p.GetProgramme())
		}),
	}}.Consumer(log)
}

// Package schema declares, once, which migration sets a service's database carries and in
// which order they apply: the platform's outbox and inbox, the copy of the programmes'
// settings (for a service that keeps one), the service's own tables, the erasure log, then any
// later set of the service's own. A store names only what differs by domain:
//
//	//go:embed migrations/*.sql
//	var migrations embed.FS
//
//	var db = schema.Service("hosts_schema_version", migrations, schema.Programmes())
package schema

import (
	"context"
	"io/fs"

	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
)

// Schema is the migration sets of one service's database.
type Schema struct {
	table      string
	fsys       fs.FS
	programmes bool
	after      []func() pg.Migrations
}

// Option adds to a service's schema what not every service carries.
type Option func(*Schema)

// Programmes adds the copy of the programmes' settings (package programmes), before the
// service's own tables.
func Programmes() Option { return func(s *Schema) { s.programmes = true } }

// After adds sets of the service's own that apply last, after the erasure log, in the order
// given (a set added later in the service's life, with its own version table).
func After(sets ...func() pg.Migrations) Option {
	return func(s *Schema) { s.after = append(s.after, sets...) }
}

// Service is the schema of a service whose own migrations are the "migrations" folder of fsys
// (a `//go:embed migrations/*.sql`), tracked in the version table named table.
func Service(table string, fsys fs.FS, opts ...Option) Schema {
	s := Schema{table: table, fsys: fsys}
	for _, o := range opts {
		o(&s)
	}
	return s
}

// Own is the service's own migration set.
func (s Schema) Own() pg.Migrations { return pg.Embedded(s.table, s.fsys) }

// Sets are the migration sets of the database, in the order they apply.
func (s Schema) Sets() []pg.Migrations {
	sets := []pg.Migrations{outbox.Migrations(), inbox.Migrations()}
	if s.programmes {
		sets = append(sets, programmes.Migrations())
	}
	sets = append(sets, s.Own(), erasure.Migrations())
	for _, a := range s.after {
		sets = append(sets, a())
	}
	return sets
}

// Migrate brings the database at url to the current schema.
func (s Schema) Migrate(ctx context.Context, url string) error {
	return pg.Migrate(ctx, url, s.Sets()...)
}

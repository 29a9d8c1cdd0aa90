// Package testdb gives identity tests a fresh, migrated database (through platform/pgtest).
package testdb

import (
	"io/fs"
	"path"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

// SchemaKey names the template database. It hashes every migration set the service applies,
// the platform's outbox and inbox included, so that a change to any of them builds a new
// template instead of reusing a stale one.
func SchemaKey() string {
	all := fstest.MapFS{}
	for _, set := range postgres.Sets() {
		err := fs.WalkDir(set.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(set.FS, p)
			if err != nil {
				return err
			}
			all[path.Join(set.Table, p)] = &fstest.MapFile{Data: b}
			return nil
		})
		if err != nil {
			panic("testdb: read embedded migrations: " + err.Error()) // an embed bug, not a test failure
		}
	}
	return "identity_" + pgtest.Hash(all)
}

// New returns a pool on a fresh database at the current schema, dropped when t ends.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return pgtest.New(t, SchemaKey(), postgres.Migrate)
}

// NewURL returns the URL of a fresh database at the current schema, dropped when t ends.
func NewURL(t testing.TB) string {
	t.Helper()
	return pgtest.NewURL(t, SchemaKey(), postgres.Migrate)
}

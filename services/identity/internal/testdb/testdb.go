// Package testdb gives identity tests a fresh, migrated database (through platform/pgtest).
package testdb

import (
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/pgtest"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// SchemaKey names the template database: a hash of every migration set the service applies,
// the platform's included, so that a change to any of them builds a new template.
func SchemaKey() string { return svctest.SchemaKey("identity", postgres.Sets()...) }

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

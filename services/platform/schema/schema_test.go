package schema_test

import (
	"embed"
	"slices"
	"testing"

	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/programmes"
	"github.com/cohabit/cohabit/services/platform/schema"
)

// The test reads only the sets' tables: any embedded files will do.
//
//go:embed schema.go
var files embed.FS

func tables(sets []pg.Migrations) []string {
	var out []string
	for _, s := range sets {
		out = append(out, s.Table)
	}
	return out
}

func TestOrder(t *testing.T) {
	later := func() pg.Migrations { return pg.Migrations{Table: "later_schema_version"} }
	for _, c := range []struct {
		name string
		opts []schema.Option
		want []string
	}{
		{"plain", nil, []string{outbox.Migrations().Table, inbox.Migrations().Table, "x_schema_version", erasure.Migrations().Table}},
		{"programmes", []schema.Option{schema.Programmes()}, []string{outbox.Migrations().Table, inbox.Migrations().Table, programmes.Migrations().Table, "x_schema_version", erasure.Migrations().Table}},
		{"after", []schema.Option{schema.Programmes(), schema.After(later)}, []string{outbox.Migrations().Table, inbox.Migrations().Table, programmes.Migrations().Table, "x_schema_version", erasure.Migrations().Table, "later_schema_version"}},
	} {
		if got := tables(schema.Service("x_schema_version", files, c.opts...).Sets()); !slices.Equal(got, c.want) {
			t.Errorf("%s: sets %v, want %v", c.name, got, c.want)
		}
	}
}

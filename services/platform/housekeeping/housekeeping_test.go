package housekeeping_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/cohabit/cohabit/services/platform/housekeeping"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	schema := "platform_" + pgtest.Hash(outbox.Migrations().FS) + pgtest.Hash(inbox.Migrations().FS)
	return pgtest.New(t, schema, func(ctx context.Context, url string) error {
		return pg.Migrate(ctx, url, outbox.Migrations(), inbox.Migrations())
	})
}

// TestPurgeKeepsWhatIsStillNeeded: published outbox rows older than the retention go, recent
// ones and every unpublished one (however old: the relay has not sent it yet) stay; inbox
// claims older than theirs go, recent ones stay.
func TestPurgeKeepsWhatIsStillNeeded(t *testing.T) {
	t.Parallel()
	db := newDB(t)
	ctx := context.Background()
	now := time.Now()
	s := housekeeping.Settings{OutboxRetention: 7 * 24 * time.Hour, InboxRetention: 60 * 24 * time.Hour}

	type row struct {
		created   time.Time
		published *time.Time
		gone      bool
	}
	old, recent := now.Add(-8*24*time.Hour), now.Add(-6*24*time.Hour)
	rows := map[string]row{
		"published long ago": {old, &old, true},
		"published lately":   {recent, &recent, false},
		"never published":    {old, nil, false},
	}
	ids := map[string]string{}
	for name, r := range rows {
		id := uuid.NewString()
		ids[name] = id
		if _, err := db.Exec(ctx, `INSERT INTO outbox (id, subject, envelope, created_at, published_at) VALUES ($1, 'cohabit.test.row.made', '\x00', $2, $3)`,
			id, r.created, r.published); err != nil {
			t.Fatal(err)
		}
	}
	oldClaim, newClaim := uuid.NewString(), uuid.NewString()
	for id, at := range map[string]time.Time{oldClaim: now.Add(-61 * 24 * time.Hour), newClaim: now.Add(-59 * 24 * time.Hour)} {
		if _, err := db.Exec(ctx, `INSERT INTO inbox (consumer, event_id, handled_at) VALUES ('test-consumer', $1, $2)`, id, at); err != nil {
			t.Fatal(err)
		}
	}

	o, i, err := housekeeping.Purge(ctx, db, s, now)
	if err != nil {
		t.Fatal(err)
	}
	if o != 1 || i != 1 {
		t.Errorf("purged %d outbox and %d inbox rows, want 1 and 1", o, i)
	}
	for name, r := range rows {
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE id = $1`, ids[name]).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if (n == 0) != r.gone {
			t.Errorf("outbox row %s: present %v, want gone %v", name, n == 1, r.gone)
		}
	}
	for id, want := range map[string]int{oldClaim: 0, newClaim: 1} {
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM inbox WHERE event_id = $1`, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("inbox claim %s: %d rows, want %d", id, n, want)
		}
	}

	// A second run finds nothing more: the purge is idempotent.
	if o, i, err := housekeeping.Purge(ctx, db, s, now); err != nil || o+i != 0 {
		t.Errorf("second purge: %d, %d, %v", o, i, err)
	}
}

// TestDefaultsOutliveTheStream: an inbox claim must outlive every redelivery of its event,
// which the stream's maximum age bounds.
func TestDefaultsOutliveTheStream(t *testing.T) {
	if housekeeping.DefaultInboxRetention <= 30*24*time.Hour {
		t.Fatalf("inbox retention %v does not outlive the stream's 30 days", housekeeping.DefaultInboxRetention)
	}
}

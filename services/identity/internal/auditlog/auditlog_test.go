package auditlog_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/auditlog"
	"github.com/cohabit/cohabit/services/identity/internal/testdb"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// TestTheTrailCannotBeAltered: entries go in, a redelivery adds nothing, and the database
// refuses every UPDATE, DELETE and TRUNCATE of them — whoever asks, the service's own
// connection included — except the purge of entries over a year old, which must say so.
func TestTheTrailCannotBeAltered(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	l := auditlog.New(pool)
	host, student := ids.New(), ids.New()
	if _, err := pool.Exec(ctx, `INSERT INTO records (kind, id, programme_id) VALUES ('host', $1, 'p1'), ('student', $2, 'p1')`, host, student); err != nil {
		t.Fatal(err)
	}
	fact := func(at time.Time) *eventsv1.AuditRecorded {
		return &eventsv1.AuditRecorded{Time: timestamppb.New(at), ActorId: "coord-1", ActorRole: "coordinator", ActorProgrammeId: "p1",
			Action: "read", Method: "/cohabit.hosts.v1.HostService/ListHosts",
			// A list: one entry with every id it showed; the second's kind comes from the records.
			Subjects: []*eventsv1.AuditSubject{{Id: host, Kind: "host"}, {Id: student}, {Id: ids.New()}}}
	}
	recent, old := ids.New(), ids.New()
	for range 2 { // a redelivered fact adds nothing
		if err := l.Record(ctx, recent, fact(time.Now())); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Record(ctx, old, fact(time.Now().AddDate(-1, 0, -2))); err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{host, student} {
		entries, err := l.List(ctx, who, "", 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 || entries[0].ID != old && entries[0].ID != recent {
			t.Fatalf("entries of %s: %+v", who, entries)
		}
	}
	entries, _ := l.List(ctx, student, "", 10)
	if entries[0].SubjectKind != "student" {
		t.Errorf("a subject without kind takes the record's: %+v", entries[0])
	}

	for _, sql := range []string{
		`UPDATE audit_events SET actor_id = 'someone-else'`,
		`UPDATE audit_events SET subject_ids = ARRAY['x'], subject_kinds = ARRAY['host']`,
		`DELETE FROM audit_events`,
		`DELETE FROM audit_events WHERE id = '` + recent + `'`,
		`TRUNCATE audit_events`,
	} {
		_, err := pool.Exec(ctx, sql)
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v, want refused as append-only", sql, err)
		}
	}
	// Even a purge that says so cannot delete a recent entry.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = tx.Exec(ctx, `SET LOCAL cohabit.audit_purge = 'on'`)
	if _, err := tx.Exec(ctx, `DELETE FROM audit_events WHERE id = $1`, recent); err == nil {
		t.Error("a purge deleted an entry younger than a year")
	}
	_ = tx.Rollback(ctx)

	// The purge removes what is over a year old, nothing else.
	n, err := l.Purge(ctx)
	if err != nil || n != 1 {
		t.Fatalf("purge: %d, %v; want 1 entry", n, err)
	}
	var left []string
	rows, _ := pool.Query(ctx, `SELECT id::text FROM audit_events`)
	for rows.Next() {
		var id string
		_ = rows.Scan(&id)
		left = append(left, id)
	}
	if len(left) != 1 || left[0] != recent {
		t.Fatalf("after the purge: %v, want only %s", left, recent)
	}
}

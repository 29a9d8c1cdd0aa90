package service_test

import (
	"context"
	"net"
	"testing"

	"github.com/jackc/pgx/v5"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	"github.com/cohabit/cohabit/services/figures/internal/postgres"
	"github.com/cohabit/cohabit/services/figures/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// seed10000Stays writes into the read model what the events of a programme with 10,000 stays
// over five years (2021-2025) leave there: 3,000 hosts, 12,000 students (2,000 never placed),
// 10,000 applications, matches and stays (one in seven ended early, for one of three
// reasons), and up to four check-ins done per stay (one in five late). It is written with SQL
// rather than replayed, so that the benchmark times the figures call alone.
func seed10000Stays(b *testing.B, url, programme string) {
	b.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	for _, q := range []string{
		`INSERT INTO programmes (id, name) VALUES ($1, 'Bench')`,
		`INSERT INTO hosts (id, programme_id, registered_on)
			SELECT 'h' || i, $1, DATE '2021-01-01' + (i * 1826 / 3000) FROM generate_series(0, 2999) i`,
		`INSERT INTO students (id, programme_id, registered_on)
			SELECT 's' || i, $1, DATE '2021-01-01' + (i % 10000) * 1826 / 10000 FROM generate_series(0, 11999) i`,
		`INSERT INTO status_changes (event_id, kind, person_id, programme_id, at, on_day, status)
			SELECT 'hv' || i, 'host', 'h' || i, $1, d, d, 'VERIFIED'
			FROM (SELECT i, DATE '2021-01-02' + (i * 1826 / 3000) AS d FROM generate_series(0, 2999) i) x`,
		`INSERT INTO status_changes (event_id, kind, person_id, programme_id, at, on_day, status)
			SELECT 'sv' || i, 'student', 's' || i, $1, d, d, 'VERIFIED'
			FROM (SELECT i, DATE '2021-01-03' + (i % 10000) * 1826 / 10000 AS d FROM generate_series(0, 11999) i) x`,
		`INSERT INTO applications (id, programme_id, submitted_on)
			SELECT 'a' || i, $1, DATE '2020-12-20' + i * 1680 / 10000 FROM generate_series(0, 9999) i`,
		`INSERT INTO matches (id, programme_id, application_id, proposed_on, approved_on)
			SELECT 'm' || i, $1, 'a' || i, DATE '2020-12-22' + i * 1680 / 10000 + i % 120, DATE '2021-01-01' + i * 1680 / 10000 + i % 120
			FROM generate_series(0, 9999) i`,
		`INSERT INTO contracts (id, programme_id, host_id, student_id, start_date, end_date, dates_at, activated_on, early, reason)
			SELECT 'c' || i, $1, 'h' || (i % 3000), 's' || i, st, st + 90 + i % 400, now(), st - 5, i % 7 = 0,
				CASE WHEN i % 7 = 0 THEN (ARRAY['REQUESTED_BY_HOST', 'REQUESTED_BY_STUDENT', 'REQUESTED_BY_COORDINATOR'])[i % 3 + 1] ELSE '' END
			FROM (SELECT i, DATE '2021-01-10' + i * 1680 / 10000 + i % 120 AS st FROM generate_series(0, 9999) i) x`,
		`INSERT INTO checkins (id, programme_id, done_on, late)
			SELECT 'k' || i || '-' || j, $1, DATE '2021-01-10' + i * 1680 / 10000 + i % 120 + (ARRAY[7, 30, 120, 210])[j], (i + j) % 5 = 0
			FROM generate_series(0, 9999) i, generate_series(1, 4) j
			WHERE (ARRAY[7, 30, 120, 210])[j] < 90 + i % 400`,
		`ANALYZE`,
	} {
		args := []any{programme}
		if q == `ANALYZE` {
			args = nil
		}
		if _, err := conn.Exec(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
}

// BenchmarkProgrammeFigures times the figures call (gRPC, as the gateway makes it) of a
// programme with 10,000 stays over five years, for those five years by month (60 months).
func BenchmarkProgrammeFigures(b *testing.B) {
	url := svctest.DatabaseURL(b, "figures", postgres.Sets()...)
	const programme = "bench-programme"
	seed10000Stays(b, url, programme)
	ns := natstest.New(b)
	pub, issuer := svctest.Keys(b)
	cc := svctest.Start(b, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{Config: boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready}}, logging.Discard())
	})
	client := figuresv1.NewFiguresServiceClient(cc)
	ctx, _ := svctest.As(b, issuer, auth.RoleCoordinator, programme)
	req := &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: programme, From: "2021-01-01", To: "2025-12-31"}
	f, err := client.GetProgrammeFigures(ctx, req)
	if err != nil {
		b.Fatal(err)
	}
	if f.GetStaysStarted() != 10000 || len(f.GetMonths()) != 60 {
		b.Fatalf("seeded %d stays over %d months", f.GetStaysStarted(), len(f.GetMonths()))
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := client.GetProgrammeFigures(ctx, req); err != nil {
			b.Fatal(err)
		}
	}
}

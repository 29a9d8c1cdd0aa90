package service_test

import (
	"context"
	"fmt"
	"net"
	"testing"
	"time"

	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	"github.com/cohabit/cohabit/services/desk/internal/document"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/desk/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// BenchmarkAgenda2000Stays: the agenda of a programme with 2,000 stays under way (each with a
// host, a student and their five documents, an active contract and its check-ins every 90
// days), 200 proposals and 100 meetings, read for a month through gRPC. The rows are written
// straight into the desk's store, as its consumers would have: what is measured is the read.
func BenchmarkAgenda2000Stays(b *testing.B) {
	url := svctest.DatabaseURL(b, "desk", postgres.Sets()...)
	ns := natstest.New(b)
	pub, issuer := svctest.Keys(b)
	today := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
	cc := svctest.Start(b, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config:         boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
			Now:            func() time.Time { return today },
			ExpiryInterval: -1,
		}, logging.Discard())
	})
	client := deskv1.NewDeskServiceClient(cc)
	coord, _ := svctest.As(b, issuer, auth.RoleCoordinator, "lyon")

	seed2000Stays(b, url, today)

	var items int
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		a, err := client.GetAgenda(coord, &deskv1.GetAgendaRequest{From: "2027-03-01", To: "2027-03-31"})
		if err != nil {
			b.Fatal(err)
		}
		items = len(a.GetItems())
	}
	b.ReportMetric(float64(items), "items/call")
}

func seed2000Stays(b *testing.B, url string, today time.Time) {
	b.Helper()
	ctx := context.Background()
	pool, err := pg.Open(ctx, url, 4)
	if err != nil {
		b.Fatal(err)
	}
	defer pool.Close()
	store := postgres.New(pool)
	start := date.Of(today).AddDays(-400)
	err = store.Tx(ctx, func(q *postgres.Store) error {
		for i := range 2000 {
			host, student := ids.New(), ids.New()
			for _, p := range []postgres.Person{{ID: host, ProgrammeID: "lyon", Party: document.PartyHost}, {ID: student, ProgrammeID: "lyon", Party: document.PartyStudent}} {
				if err := q.SavePerson(ctx, p, today); err != nil {
					return err
				}
				for _, k := range document.DefaultRequirements().For(p.Party, false) {
					d := document.New(ids.New(), "lyon", p.ID, p.Party, k, true, "", today)
					d.Status, d.ExpiryDate = document.StatusVerified, date.Of(today).AddDays(10+i%400)
					if _, _, err := q.InsertDocument(ctx, d, ""); err != nil {
						return err
					}
				}
			}
			contract := ids.New()
			s := start.AddDays(i % 365)
			if err := q.SaveContract(ctx, postgres.Contract{ID: contract, ProgrammeID: "lyon", HostID: host, StudentID: student,
				Status: "ACTIVE", StartDate: s, EndDate: s.AddDays(365)}, today); err != nil {
				return err
			}
			for j, off := range []int{7, 30, 120, 210, 300} {
				status := "DONE"
				if s.AddDays(off).After(date.Of(today).AddDays(-10)) {
					status = "DUE"
				}
				if err := q.SaveCheckin(ctx, ids.New(), "lyon", contract, status, s.AddDays(off), today.Add(time.Duration(j)*time.Second)); err != nil {
					return err
				}
			}
			if i < 300 {
				m := postgres.Match{ID: ids.New(), ProgrammeID: "lyon", HostID: host, StudentID: student, Status: "PROPOSED"}
				if i >= 200 {
					at := today.Add(time.Duration(i) * time.Hour)
					m.Status, m.MeetingAt = "MEETING_SCHEDULED", &at
				}
				if err := q.SaveMatch(ctx, m, today.Add(-time.Duration(i%10)*24*time.Hour)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(fmt.Errorf("seed: %w", err))
	}
	if _, err := pool.Exec(ctx, `ANALYZE`); err != nil {
		b.Fatal(err)
	}
}

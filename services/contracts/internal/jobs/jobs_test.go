package jobs_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/contracts/internal/checkin"
	"github.com/cohabit/cohabit/services/contracts/internal/contract"
	"github.com/cohabit/cohabit/services/contracts/internal/jobs"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

var at = time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)

// active returns an ACTIVE contract from 2027-02-01 to end.
func active(t *testing.T, end date.Date) *contract.Contract {
	t.Helper()
	c := contract.Draft(ids.New(), contract.Match{MatchID: ids.New(), ProgrammeID: "lyon", HostID: "h", StudentID: "s"}, contract.Terms{
		RoomTitle: "Chambre", RoomAreaM2: 12, StartDate: date.New(2027, 2, 1), EndDate: end,
		HouseRules: "r", HostDuties: "h", StudentDuties: "s", NoticeDays: 30, TrialDays: 30, TrialNoticeDays: 15,
	}, at)
	if err := c.Send(contract.Rules{}, at); err != nil {
		t.Fatal(err)
	}
	for _, p := range []contract.Party{contract.PartyHost, contract.PartyStudent} {
		if _, err := c.Sign(contract.Signature{Party: p, Method: contract.MethodElectronic, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// TestReplicasShareTheWork: two replicas run the jobs at once over more rows than a batch;
// every contract ends once, every check-in is missed once, each with one event.
func TestReplicasShareTheWork(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := svctest.Pool(t, "contracts", postgres.Sets()...)

	const contracts = jobs.Batch + 37
	err := pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		for i := range contracts {
			c := active(t, date.New(2027, 6, 30))
			if i%3 == 0 {
				// A third gave notice for 2027-05-31 instead.
				if err := c.Terminate(contract.Termination{Party: contract.PartyHost, Reason: "x", EffectiveDate: date.New(2027, 5, 31), NoticeAt: at}, date.New(2027, 4, 1)); err != nil {
					return err
				}
			}
			if ok, err := postgres.New(pool).Within(tx).InsertDraft(ctx, c); err != nil || !ok {
				t.Fatalf("insert: %v %v", ok, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// One contract not due yet, with check-ins within and past their grace.
	later := active(t, date.New(2027, 12, 31))
	store := postgres.New(pool)
	if err := pg.InTx(ctx, pool, func(tx pgx.Tx) error {
		_, err := postgres.New(pool).Within(tx).InsertDraft(ctx, later)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_, err = store.UpdateContract(ctx, later.ID(), func(postgres.View) (postgres.Effects, error) {
		var chs []*checkin.Checkin
		for _, d := range (checkin.Plan{}).Schedule(date.New(2027, 2, 1), date.New(2027, 12, 31)) {
			chs = append(chs, checkin.New(ids.New(), "lyon", later.ID(), d, 7, at))
		}
		return postgres.Effects{Checkins: chs}, nil
	})
	if err != nil {
		t.Fatal(err)
	}

	day := time.Date(2027, 7, 1, 10, 0, 0, 0, time.UTC)
	results := make([]jobs.Result, 2)
	var wg sync.WaitGroup
	for i := range results {
		wg.Go(func() {
			j := &jobs.Jobs{Store: store}
			res, err := j.RunOnce(ctx, day)
			if err != nil {
				t.Error(err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	terminated := results[0].Terminated + results[1].Terminated
	ended := results[0].Ended + results[1].Ended
	missed := results[0].Missed + results[1].Missed
	// 2027-02-08, 03-03 and 06-01 are past their grace on 2027-07-01; 08-30 and 11-28 are not.
	if terminated != (contracts+2)/3 || ended != contracts-(contracts+2)/3 || missed != 3 {
		t.Fatalf("replicas did %+v and %+v", results[0], results[1])
	}
	count := func(sql string, args ...any) int {
		var n int
		if err := pool.QueryRow(ctx, sql, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM outbox WHERE subject IN ('cohabit.contracts.contract.ended', 'cohabit.contracts.contract.terminated')`); n != contracts {
		t.Fatalf("%d end events for %d contracts", n, contracts)
	}
	if n := count(`SELECT count(*) FROM outbox WHERE subject = 'cohabit.contracts.checkin.missed'`); n != 3 {
		t.Fatalf("%d missed events", n)
	}
	if n := count(`SELECT count(*) FROM contracts WHERE status IN ('ACTIVE', 'NOTICE_GIVEN')`); n != 1 {
		t.Fatalf("%d contracts still running, want the later one", n)
	}
	again, err := (&jobs.Jobs{Store: store}).RunOnce(ctx, day)
	if err != nil || again != (jobs.Result{}) {
		t.Fatalf("a second run: %+v %v", again, err)
	}
}

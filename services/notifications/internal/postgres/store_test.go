package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

func newStore(t *testing.T) *postgres.Store {
	t.Helper()
	pool := svctest.Pool(t, "notifications", postgres.Sets()...)
	return postgres.New(pool)
}

func pending(t *testing.T, s *postgres.Store, at time.Time) postgres.Notification {
	t.Helper()
	n := postgres.Notification{ID: ids.New(), ProgrammeID: "p1", EventID: ids.New(), RecipientID: ids.New(), RecipientKind: notice.Student,
		Channel: notice.Email, Topic: notice.MatchProposed, Language: "fr", Subject: "s", Status: notice.Pending,
		MessageID: "m@x", NextAttemptAt: &at, EventTime: at, CreatedAt: at}
	err := pg.InTx(context.Background(), s.Pool, func(tx pgx.Tx) error {
		added, err := s.Within(tx).Insert(context.Background(), n)
		if !added && err == nil {
			t.Fatal("not added")
		}
		again, err2 := s.Within(tx).Insert(context.Background(), n) // same (event, recipient, channel)
		if again || err2 != nil {
			t.Fatalf("added twice: %v", err2)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A crash between the SMTP server's acceptance and the record: the attempt stays in flight.
// Once its lease ends the notification is taken again, marked as a Resend (same row, same
// Message-ID), once; if that outcome is lost too it ends FAILED and is never taken again.
func TestUnknownOutcomeIsSentAgainOnceOnly(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	t0 := time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)
	n := pending(t, s, t0)
	lease := 2 * time.Minute

	first, err := s.Claim(ctx, t0, 10, lease)
	if err != nil || len(first) != 1 || first[0].Resend || first[0].Attempts != 1 {
		t.Fatalf("first claim %+v %v", first, err)
	}
	// Another replica meanwhile: the lease hides it.
	if other, _ := s.Claim(ctx, t0.Add(time.Minute), 10, lease); len(other) != 0 {
		t.Fatalf("taken twice under its lease: %+v", other)
	}
	// The process stopped without recording: after the lease, sent again once.
	second, err := s.Claim(ctx, t0.Add(3*time.Minute), 10, lease)
	if err != nil || len(second) != 1 || !second[0].Resend || second[0].MessageID != n.MessageID {
		t.Fatalf("second claim %+v %v", second, err)
	}
	// Lost again: never a third time.
	third, err := s.Claim(ctx, t0.Add(6*time.Minute), 10, lease)
	if err != nil || len(third) != 0 {
		t.Fatalf("third claim %+v %v", third, err)
	}
	got, err := s.Get(ctx, n.ID)
	if err != nil || got.Status != notice.Failed || got.Failure != postgres.FailureUnknownTwice || got.NextAttemptAt != nil {
		t.Fatalf("after two unknown outcomes: %+v %v", got, err)
	}
}

// A recorded failure is retried at its time, a success is never taken again.
func TestRetryThenSent(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	t0 := time.Date(2027, 1, 10, 10, 0, 0, 0, time.UTC)
	n := pending(t, s, t0)
	if a, _ := s.Claim(ctx, t0, 10, time.Minute); len(a) != 1 {
		t.Fatal("not claimed")
	}
	retry := t0.Add(30 * time.Second)
	if err := s.MarkFailed(ctx, n.ID, "connection refused", t0, &retry); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Claim(ctx, t0.Add(10*time.Second), 10, time.Minute); len(a) != 0 {
		t.Fatal("retried before its time")
	}
	a, _ := s.Claim(ctx, retry, 10, time.Minute)
	if len(a) != 1 || a[0].Resend || a[0].Attempts != 2 {
		t.Fatalf("retry %+v", a)
	}
	if err := s.MarkSent(ctx, n.ID, retry); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.Claim(ctx, retry.Add(time.Hour), 10, time.Minute); len(a) != 0 {
		t.Fatal("a sent notification taken again")
	}
}

// A consumer's write asked of a store bound to no transaction is refused: run in a
// transaction of its own, it would commit apart from the event's claim.
func TestWritesRefuseToRunOutsideATransaction(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	ctx := context.Background()
	at := time.Now()
	n := postgres.Notification{ID: ids.New(), ProgrammeID: "p1", EventID: ids.New(), RecipientID: ids.New(), RecipientKind: notice.Student,
		Channel: notice.Email, Topic: notice.MatchProposed, Language: "fr", Subject: "s", Status: notice.Pending,
		MessageID: "m@x", NextAttemptAt: &at, EventTime: at, CreatedAt: at}
	if added, err := s.Insert(ctx, n); added || err == nil {
		t.Fatalf("insert outside a transaction: added=%v err=%v", added, err)
	}
	if err := s.SaveContract(ctx, postgres.Contract{ID: ids.New(), ProgrammeID: "p1", HostID: ids.New(), StudentID: ids.New(), Status: "DRAFT"}); err == nil {
		t.Fatal("contract saved outside a transaction")
	}
	if got, err := s.List(ctx, postgres.Filter{RecipientIDs: []string{n.RecipientID}, Limit: 10}); err != nil || len(got) != 0 {
		t.Fatalf("refused insert left %d rows (%v)", len(got), err)
	}
}

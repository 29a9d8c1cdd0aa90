package postgres_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/convert"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
	"github.com/cohabit/cohabit/services/identity/internal/postgres"
	"github.com/cohabit/cohabit/services/identity/internal/programme"
	"github.com/cohabit/cohabit/services/identity/internal/testdb"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/etag"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/inbox"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func newProgramme(t *testing.T, id string) *programme.Programme {
	t.Helper()
	p, err := programme.New(id, programme.Fields{Name: "Programme " + id, Territory: "Lyon", Settings: programme.DefaultSettings()}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type outboxRow struct {
	id, subject string
	envelope    []byte
}

func outboxRows(t *testing.T, pool *pgxpool.Pool) []outboxRow {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT id::text, subject, envelope FROM outbox ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []outboxRow
	for rows.Next() {
		var r outboxRow
		if err := rows.Scan(&r.id, &r.subject, &r.envelope); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestCreateProgrammeWritesItsEventInTheSameTransaction(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	store := postgres.New(pool)

	p := newProgramme(t, "lyon")
	if _, err := store.CreateProgramme(ctx, p, ""); err != nil {
		t.Fatal(err)
	}
	got, err := store.Programme(ctx, "lyon")
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(convert.Programme(got), convert.Programme(p)) {
		t.Fatalf("read back %v, want %v", convert.Programme(got), convert.Programme(p))
	}

	rows := outboxRows(t, pool)
	if len(rows) != 1 || rows[0].subject != identityevents.ProgrammeCreated.Subject {
		t.Fatalf("outbox %+v", rows)
	}
	env, err := event.Decode(rows[0].envelope)
	if err != nil {
		t.Fatal(err)
	}
	if env.GetId() != rows[0].id || env.GetProgrammeId() != "lyon" || env.GetType() != identityevents.ProgrammeCreated.Subject {
		t.Fatalf("envelope %v", env)
	}
	payload, err := event.Payload(env, &identityeventsv1.ProgrammeCreated{})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(payload.GetProgramme(), convert.Programme(p)) {
		t.Fatalf("payload %v", payload)
	}

	// A create that fails leaves no event behind.
	if _, err := store.CreateProgramme(ctx, newProgramme(t, "lyon"), ""); !errors.Is(err, programme.ErrExists) {
		t.Fatalf("same id again: %v", err)
	}
	if rows := outboxRows(t, pool); len(rows) != 1 {
		t.Fatalf("failed create wrote to the outbox: %+v", rows)
	}
}

func TestCreateProgrammeIsIdempotentPerRequestID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	store := postgres.New(pool)

	first, err := store.CreateProgramme(ctx, newProgramme(t, "p1"), "req-1")
	if err != nil {
		t.Fatal(err)
	}
	// The retry carries a fresh id, as a client-side retry of an id-less create would.
	again, err := store.CreateProgramme(ctx, newProgramme(t, "p2"), "req-1")
	if err != nil || again.ID() != first.ID() {
		t.Fatalf("retry: %v, %v", again, err)
	}

	// Concurrent retries of another request create one programme between them.
	var wg sync.WaitGroup
	ids := make([]string, 8)
	for i := range ids {
		wg.Go(func() {
			p, err := store.CreateProgramme(ctx, newProgramme(t, "c"+uuid.NewString()[:8]), "req-2")
			if err != nil {
				t.Errorf("concurrent create %d: %v", i, err)
				return
			}
			ids[i] = p.ID()
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("concurrent retries made several programmes: %v", ids)
		}
	}
	if _, err := store.Programme(ctx, "p2"); !errors.Is(err, programme.ErrNotFound) {
		t.Fatalf("the retry stored its programme: %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM programmes`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d programmes (%v), want 2", n, err)
	}
	if rows := outboxRows(t, pool); len(rows) != 2 {
		t.Fatalf("%d events, want 2", len(rows))
	}
}

func TestConcurrentUpdatesWithTheSameEtagOneWins(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	store := postgres.New(pool)
	p, err := store.CreateProgramme(ctx, newProgramme(t, "lyon"), "")
	if err != nil {
		t.Fatal(err)
	}
	read := p.Etag()

	const n = 4
	errc := make(chan error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			<-start
			_, err := store.UpdateProgramme(ctx, "lyon", func(p *programme.Programme) error {
				return p.Update(read, programme.Fields{Settings: programme.Settings{HostMinAge: 61 + i}}, []string{"settings.hostMinAge"}, t0.Add(time.Minute))
			})
			errc <- err
		})
	}
	close(start)
	wg.Wait()
	close(errc)
	won, lost := 0, 0
	for err := range errc {
		switch {
		case err == nil:
			won++
		case errors.Is(err, etag.ErrStale) && errs.CodeOf(err) == codes.Aborted:
			lost++
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if won != 1 || lost != n-1 {
		t.Fatalf("%d won, %d lost; want 1 and %d", won, lost, n-1)
	}
	got, err := store.Programme(ctx, "lyon")
	if err != nil || got.Version() != 2 {
		t.Fatalf("version %d (%v), want 2", got.Version(), err)
	}
	rows := outboxRows(t, pool)
	if len(rows) != 2 || rows[1].subject != identityevents.ProgrammeUpdated.Subject {
		t.Fatalf("outbox %+v", rows)
	}
}

func TestUpdateProgrammeRefusedChangesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	store := postgres.New(pool)
	if _, err := store.CreateProgramme(ctx, newProgramme(t, "lyon"), ""); err != nil {
		t.Fatal(err)
	}
	_, err := store.UpdateProgramme(ctx, "lyon", func(p *programme.Programme) error {
		return p.Update("", programme.Fields{Settings: programme.Settings{HostMinAge: 55}}, []string{"settings.hostMinAge"}, t0)
	})
	if errs.CodeOf(err) != codes.InvalidArgument {
		t.Fatalf("loosening: %v", err)
	}
	if _, err := store.UpdateProgramme(ctx, "nowhere", func(*programme.Programme) error { return nil }); !errors.Is(err, programme.ErrNotFound) {
		t.Fatalf("missing programme: %v", err)
	}
	if got, _ := store.Programme(ctx, "lyon"); got.Version() != 1 || got.Settings().HostMinAge != 60 {
		t.Fatalf("changed: %+v", got.Snapshot())
	}
	if rows := outboxRows(t, pool); len(rows) != 1 {
		t.Fatalf("%d events, want 1", len(rows))
	}
}

func TestListProgrammesPages(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := postgres.New(testdb.New(t))
	for _, id := range []string{"c", "a", "b"} {
		if _, err := store.CreateProgramme(ctx, newProgramme(t, id), ""); err != nil {
			t.Fatal(err)
		}
	}
	page, err := store.ListProgrammes(ctx, "", 2)
	if err != nil || len(page) != 2 || page[0].ID() != "a" || page[1].ID() != "b" {
		t.Fatalf("first page %v %v", page, err)
	}
	page, err = store.ListProgrammes(ctx, "b", 2)
	if err != nil || len(page) != 1 || page[0].ID() != "c" {
		t.Fatalf("second page %v %v", page, err)
	}
}

type plainHasher struct{}

func (plainHasher) Hash(pw string) (string, error) { return "hashed:" + pw, nil }

func newHost(t *testing.T, email, programmeID string) *account.Account {
	t.Helper()
	a, err := account.Signup(account.Draft{ID: uuid.NewString(), Email: email, Password: "long enough password", Role: auth.RoleHost, ProgrammeID: programmeID}, plainHasher{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestCreateAccount(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	store := postgres.New(pool)
	if _, err := store.CreateProgramme(ctx, newProgramme(t, "lyon"), ""); err != nil {
		t.Fatal(err)
	}

	a := newHost(t, "Anne@Example.org", "lyon")
	if err := store.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	got, err := store.AccountByEmail(ctx, "anne@example.org")
	if err != nil || got.Snapshot() != a.Snapshot() {
		t.Fatalf("read back %+v (%v), want %+v", got.Snapshot(), err, a.Snapshot())
	}
	if byID, err := store.Account(ctx, a.ID()); err != nil || byID.Email() != "anne@example.org" {
		t.Fatalf("by id: %v", err)
	}
	if _, err := store.Account(ctx, "not-a-uuid"); !errors.Is(err, account.ErrNotFound) {
		t.Fatalf("malformed id: %v", err)
	}

	if err := store.CreateAccount(ctx, newHost(t, "anne@example.org", "lyon")); !errors.Is(err, account.ErrEmailTaken) {
		t.Fatalf("same email: %v", err)
	}
	if err := store.CreateAccount(ctx, newHost(t, "bob@example.org", "nowhere")); !errors.Is(err, programme.ErrNotFound) {
		t.Fatalf("unknown programme: %v", err)
	}

	rows := outboxRows(t, pool)
	if len(rows) != 2 || rows[1].subject != identityevents.AccountCreated.Subject {
		t.Fatalf("outbox %+v", rows)
	}
	if strings.Contains(string(rows[1].envelope), "anne") {
		t.Fatal("the AccountCreated event carries the email")
	}
	env, _ := event.Decode(rows[1].envelope)
	created, err := event.Payload(env, &identityeventsv1.AccountCreated{})
	if err != nil || created.GetAccountId() != a.ID() || created.GetProgrammeId() != "lyon" || env.GetProgrammeId() != "lyon" {
		t.Fatalf("event %v %v", created, err)
	}
}

// An event's link of an account runs in the transaction the consumer claims the event in
// (platform/consume's inbox.Handle), through the store bound to it: the event is handled once.
func TestRecordRegisteredInTheInboxTransactionHandlesAnEventOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	store := postgres.New(pool)
	if _, err := store.CreateProgramme(ctx, newProgramme(t, "lyon"), ""); err != nil {
		t.Fatal(err)
	}
	a := newHost(t, "anne@example.org", "lyon")
	if err := store.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}

	// What the consumer of HostRegistered does with an event: claim it and link in one
	// transaction.
	handle := func(eventID, owner string, link func(*account.Account) error) error {
		return inbox.Handle(ctx, pool, "identity", eventID, func(tx pgx.Tx) error {
			return store.Within(tx).RecordRegistered(ctx, invitation.Record{Kind: account.RecordHost, ID: "h1", ProgrammeID: "lyon", OwnerAccountID: owner}, link)
		})
	}
	// Outside a transaction the write is refused, not run in one of its own.
	if err := store.RecordRegistered(ctx, invitation.Record{Kind: account.RecordHost, ID: "h1", ProgrammeID: "lyon", OwnerAccountID: a.ID()}, func(*account.Account) error { return nil }); err == nil {
		t.Fatal("RecordRegistered ran outside a transaction")
	}

	eventID := uuid.NewString()
	calls := 0
	link := func(acct *account.Account) error {
		calls++
		_, err := acct.Link(account.RecordHost, "h1", "lyon", t0.Add(time.Minute))
		return err
	}
	for range 2 {
		if err := handle(eventID, a.ID(), link); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 {
		t.Fatalf("handled %d times", calls)
	}
	got, _ := store.Account(ctx, a.ID())
	if got.HostID() != "h1" || got.Version() != 2 {
		t.Fatalf("account %+v", got.Snapshot())
	}

	// A failed handling leaves the event unclaimed, so that a redelivery tries again.
	other := uuid.NewString()
	boom := errors.New("boom")
	if err := handle(other, a.ID(), func(*account.Account) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("failing handler: %v", err)
	}
	calls = 0
	if err := handle(other, a.ID(), link); err != nil || calls != 1 {
		t.Fatalf("redelivery: calls=%d err=%v", calls, err)
	}

	// One host record has one owner, in the database too.
	b := newHost(t, "bob@example.org", "lyon")
	if err := store.CreateAccount(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := handle(uuid.NewString(), b.ID(), link); !errors.Is(err, account.ErrAlreadyLinked) {
		t.Fatalf("second owner of h1: %v", err)
	}
}

func TestClaimLoginAttemptCountsParallelAttemptsOneByOne(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := postgres.New(testdb.New(t))
	claim := func(now time.Time) error {
		return store.ClaimLoginAttempt(ctx, "anne@example.org", func(a account.Attempts) (account.Attempts, error) { return a.Claim(now) })
	}

	const n = 12
	errc := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() { errc <- claim(t0) })
	}
	wg.Wait()
	close(errc)
	allowed := 0
	for err := range errc {
		switch {
		case err == nil:
			allowed++
		case !errors.Is(err, account.ErrTooManyAttempts):
			t.Errorf("unexpected %v", err)
		}
	}
	if allowed != account.FreeAttempts {
		t.Fatalf("%d parallel attempts got through, want %d", allowed, account.FreeAttempts)
	}
	if err := claim(t0.Add(2 * time.Second)); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
	if err := store.ResetLoginAttempts(ctx, "anne@example.org"); err != nil {
		t.Fatal(err)
	}
	for i := range account.FreeAttempts {
		if err := claim(t0.Add(3 * time.Second)); err != nil {
			t.Fatalf("attempt %d after reset: %v", i+1, err)
		}
	}
}

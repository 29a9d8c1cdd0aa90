package service_test

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/jobs"
	"github.com/cohabit/cohabit/services/contracts/internal/postgres"
	"github.com/cohabit/cohabit/services/contracts/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// clock is the service's clock in tests: it stands still until moved.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to 10:00 UTC (noon in Paris) on day, so that the UTC and Paris days agree.
func (c *clock) Set(day string) {
	t, err := time.Parse("2006-01-02", day)
	if err != nil {
		panic(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t.Add(10 * time.Hour)
}

type env struct {
	client contractsv1.ContractServiceClient
	js     jetstream.JetStream
	issuer *auth.Issuer
	clock  *clock
	url    string
	ns     *natstest.Server
	pool   *pgxpool.Pool
}

type options struct {
	jobInterval time.Duration
}

// start boots the contracts service on a fresh database and NATS server, with the other
// services' streams declared (their events are published by the test), and the clock on
// 2027-01-10. The calendar's jobs run only when the test says so (runJobs), unless
// jobInterval is set.
func start(t *testing.T, o options) *env {
	t.Helper()
	url := svctest.DatabaseURL(t, "contracts", postgresSets()...)
	ns, js := newNATS(t)
	pub, issuer := svctest.Keys(t)
	clk := &clock{}
	clk.Set("2027-01-10")
	interval := o.jobInterval
	if interval == 0 {
		interval = -1
	}
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config:      boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
			Now:         clk.Now,
			JobInterval: interval,
		}, logging.Discard())
	})
	return &env{client: contractsv1.NewContractServiceClient(cc), js: js, issuer: issuer, clock: clk, url: url, ns: ns, pool: openPool(t, url)}
}

func postgresSets() []pg.Migrations { return postgres.Sets() }

// newNATS starts a NATS server with the streams of the services whose events the contracts
// service consumes (the test publishes them).
func newNATS(t *testing.T) (*natstest.Server, jetstream.JetStream) {
	t.Helper()
	ns := natstest.New(t)
	js := svctest.JetStream(t, ns.URL())
	for _, s := range []natsx.Stream{
		{Name: matchingevents.Stream.Name, Subjects: matchingevents.Stream.Subjects()},
		{Name: hostsevents.Stream.Name, Subjects: hostsevents.Stream.Subjects()},
		{Name: studentsevents.Stream.Name, Subjects: studentsevents.Stream.Subjects()},
		{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()},
	} {
		if err := natsx.EnsureStream(context.Background(), js, s); err != nil {
			t.Fatal(err)
		}
	}
	return ns, js
}

func openPool(t *testing.T, url string) *pgxpool.Pool {
	t.Helper()
	pool, err := pg.Open(context.Background(), url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func (e *env) as(t *testing.T, role auth.Role, programme string) (context.Context, string) {
	t.Helper()
	return svctest.As(t, e.issuer, role, programme)
}

// runJobs runs the calendar's jobs once at the clock's time, as the service's loop would.
func (e *env) runJobs(t *testing.T) jobs.Result {
	t.Helper()
	j := &jobs.Jobs{Store: postgres.New(e.pool)}
	res, err := j.RunOnce(context.Background(), e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// party is a host or student known to the test: the profile its service publishes.
type party struct {
	id, account, name string
	ctx               context.Context
}

func (e *env) host(t *testing.T, programme, name string, assisted bool) party {
	t.Helper()
	p := party{id: uuid.NewString(), name: name}
	if !assisted {
		p.ctx, p.account = e.as(t, auth.RoleHost, programme)
	}
	e.publishHost(t, programme, p, assisted)
	return p
}

// publishHost publishes p's profile as the hosts service would on registration.
func (e *env) publishHost(t *testing.T, programme string, p party, assisted bool) {
	t.Helper()
	svctest.Publish(t, e.js, hostsevents.HostRegistered.Subject, programme, &hostseventsv1.HostRegistered{Host: &hostseventsv1.HostProfile{
		HostId: p.id, ProgrammeId: programme, Status: "PENDING_VERIFICATION", DisplayName: p.name, Age: 78, City: "Lyon",
		Assisted: assisted, OwnerAccountId: p.account,
	}})
}

func (e *env) student(t *testing.T, programme, name string) party {
	t.Helper()
	p := party{id: uuid.NewString(), name: name}
	p.ctx, p.account = e.as(t, auth.RoleStudent, programme)
	svctest.Publish(t, e.js, studentsevents.StudentRegistered.Subject, programme, &studentseventsv1.StudentRegistered{Student: &studentseventsv1.StudentProfile{
		StudentId: p.id, ProgrammeId: programme, Status: "PENDING_VERIFICATION", DisplayName: name, Age: 21, OwnerAccountId: p.account,
	}})
	return p
}

func approved(programme string, h, s party, assisted bool) *matchingeventsv1.MatchApproved {
	return &matchingeventsv1.MatchApproved{
		Match: &matchingeventsv1.MatchSummary{
			MatchId: uuid.NewString(), ProgrammeId: programme, RoomId: uuid.NewString(), HostId: h.id, StudentId: s.id,
			ApplicationId: uuid.NewString(), Status: "APPROVED", Score: 87,
		},
		MoveInDate: "2027-02-01", MoveOutDate: "2028-01-31", MonthlyContributionCents: 15000, FormulaId: "solidaire",
		AgreedServices:  []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_MEALS},
		EveningsPerWeek: 3, HoursPerWeek: 4, HostAssisted: assisted, RoomAreaM2: 12, RoomTitle: "Chambre sur jardin",
		RoomSharedSpaces: []string{"cuisine", "salle de bains"},
	}
}

func envelopeOf(t *testing.T, subject, programme string, payload proto.Message) *eventsv1.Envelope {
	t.Helper()
	env, err := event.New(subject, programme, time.Now(), payload)
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// publishWithID publishes env with an explicit Nats-Msg-Id: two different ids for the same
// envelope get past JetStream's duplicate window, as a republish by a relay that lost its
// bookkeeping would.
func publishWithID(t *testing.T, js jetstream.JetStream, env *eventsv1.Envelope, msgID string) {
	t.Helper()
	data, err := proto.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.Publish(context.Background(), env.GetType(), data, jetstream.WithMsgID(msgID)); err != nil {
		t.Fatal(err)
	}
}

// eventually retries cond until it holds, or fails the test after a while.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	eventuallyWithin(t, 15*time.Second, what, cond)
}

func eventuallyWithin(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: never happened", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// contractOf waits for the contract of match id to be drafted, and returns it as ctx sees it.
func (e *env) contractOf(t *testing.T, ctx context.Context, matchID string) *contractsv1.Contract {
	t.Helper()
	var c *contractsv1.Contract
	eventually(t, "contract of match "+matchID, func() bool {
		list, err := e.client.ListContracts(ctx, &contractsv1.ListContractsRequest{MatchId: matchID})
		if err != nil {
			t.Fatal(err)
		}
		if len(list.GetContracts()) == 1 {
			c = list.GetContracts()[0]
			return true
		}
		return false
	})
	return c
}

// visibleTo waits until ctx (a party whose profile is on its way) sees contract id.
func (e *env) visibleTo(t *testing.T, ctx context.Context, id string) *contractsv1.Contract {
	t.Helper()
	var c *contractsv1.Contract
	eventually(t, "contract visible to its party", func() bool {
		got, err := e.client.GetContract(ctx, &contractsv1.GetContractRequest{Id: id})
		if status.Code(err) == codes.NotFound {
			return false
		}
		if err != nil {
			t.Fatal(err)
		}
		c = got
		return true
	})
	return c
}

// drained waits until the durable consumer has nothing pending or unacknowledged.
func (e *env) drained(t *testing.T, stream, durable string) {
	t.Helper()
	e.drainedWithin(t, 15*time.Second, stream, durable)
}

func (e *env) drainedWithin(t *testing.T, d time.Duration, stream, durable string) {
	t.Helper()
	eventuallyWithin(t, d, durable+" drained", func() bool {
		c, err := e.js.Consumer(context.Background(), stream, durable)
		if err != nil {
			return false
		}
		info, err := c.Info(context.Background())
		return err == nil && info.NumPending == 0 && info.NumAckPending == 0
	})
}

func (e *env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

package service_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/figures/internal/postgres"
	"github.com/cohabit/cohabit/services/figures/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

type env struct {
	ns     *natstest.Server
	js     jetstream.JetStream
	pub    []byte
	issuer *auth.Issuer
}

// streams declares the streams the other services would own.
func newEnv(t *testing.T) *env {
	t.Helper()
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	js := svctest.JetStream(t, ns.URL())
	for _, s := range []string{identityevents.Stream.Name, hostsevents.Stream.Name, studentsevents.Stream.Name, matchingevents.Stream.Name, contractsevents.Stream.Name} {
		if err := natsx.EnsureStream(context.Background(), js, natsx.Stream{Name: s, Subjects: []string{"cohabit." + strings.ToLower(s) + ".>"}}); err != nil {
			t.Fatal(err)
		}
	}
	return &env{ns: ns, js: js, pub: pub, issuer: issuer}
}

// start runs a figures service on an empty database, its consumers named prefix-….
func (e *env) start(t *testing.T, prefix string) figuresv1.FiguresServiceClient {
	t.Helper()
	url := svctest.DatabaseURL(t, "figures", postgres.Sets()...)
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config: boot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: e.ns.URL(), TokenKey: e.pub,
				Ready: ready,
			},
			ConsumerPrefix: prefix,
			Now:            func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) },
		}, logging.Discard())
	})
	return figuresv1.NewFiguresServiceClient(cc)
}

func (e *env) as(t *testing.T, role auth.Role, programme string) context.Context {
	ctx, _ := svctest.As(t, e.issuer, role, programme)
	return ctx
}

// history builds events at chosen instants (their day is what the figures count).
type history struct {
	t   *testing.T
	evs []*eventsv1.Envelope
}

func at(day string) time.Time {
	d, err := time.Parse("2006-01-02", day)
	if err != nil {
		panic(err)
	}
	return d.Add(10 * time.Hour)
}

func (h *history) add(subject, programme, day string, payload proto.Message) {
	ev, err := event.New(subject, programme, at(day), payload)
	if err != nil {
		h.t.Fatal(err)
	}
	h.evs = append(h.evs, ev)
}

func id() string { return uuid.NewString() }

// Personal data the events carry, which the figures must never answer with.
const hostName, studentName = "Jeanne Martin", "Léa Durand"

func (h *history) host(p, registered, verified string) string {
	hid := id()
	prof := &hostseventsv1.HostProfile{HostId: hid, ProgrammeId: p, DisplayName: hostName, City: "Lyon"}
	h.add(hostsevents.HostRegistered.Subject, p, registered, &hostseventsv1.HostRegistered{Host: prof})
	if verified != "" {
		h.add(hostsevents.HostVerified.Subject, p, verified, &hostseventsv1.HostVerified{Host: prof})
	}
	return hid
}

func (h *history) student(p, registered, verified string) string {
	sid := id()
	prof := &studentseventsv1.StudentProfile{StudentId: sid, ProgrammeId: p, DisplayName: studentName, StudyCity: "Lyon"}
	h.add(studentsevents.StudentRegistered.Subject, p, registered, &studentseventsv1.StudentRegistered{Student: prof})
	if verified != "" {
		h.add(studentsevents.StudentVerified.Subject, p, verified, &studentseventsv1.StudentVerified{Student: prof})
	}
	return sid
}

func (h *history) application(p, student, submitted string) string {
	aid := id()
	h.add(studentsevents.ApplicationSubmitted.Subject, p, submitted, &studentseventsv1.ApplicationSubmitted{
		Application: &studentseventsv1.ApplicationProfile{ApplicationId: aid, StudentId: student, ProgrammeId: p}})
	return aid
}

func (h *history) match(p, application, proposed, approved string) {
	s := &matchingeventsv1.MatchSummary{MatchId: id(), ProgrammeId: p, ApplicationId: application}
	h.add(matchingevents.MatchProposed.Subject, p, proposed, &matchingeventsv1.MatchChanged{Match: s})
	if approved != "" {
		h.add(matchingevents.MatchApproved.Subject, p, approved, &matchingeventsv1.MatchApproved{Match: s})
	}
}

type contract struct {
	h                    *history
	p, id, host, student string
	start, end           string
}

func (h *history) contract(p, host, student, start, end string) *contract {
	return &contract{h: h, p: p, id: id(), host: host, student: student, start: start, end: end}
}

func (c *contract) event(ev eventcat.Event[*contractseventsv1.ContractChanged], day, reason string) *contract {
	c.h.add(ev.Subject, c.p, day, &contractseventsv1.ContractChanged{ReasonCode: reason,
		Contract: &contractseventsv1.ContractSummary{ContractId: c.id, ProgrammeId: c.p, HostId: c.host, StudentId: c.student,
			StartDate: c.start, EndDate: c.end}})
	return c
}

func (h *history) checkin(p, contract, done string, late bool) {
	h.add(contractsevents.CheckinCompleted.Subject, p, done, &contractseventsv1.CheckinChanged{
		CheckinId: id(), ContractId: contract, ProgrammeId: p, Status: "DONE", DueDate: "2026-01-01", DoneDate: done, Late: late})
}

// twoProgrammes is the history of programme P (by hand below) and of programme Q (one host).
func twoProgrammes(t *testing.T) (h *history, p, q string) {
	h = &history{t: t}
	p, q = id(), id()
	h.add(identityevents.ProgrammeCreated.Subject, p, "2024-01-01", &identityeventsv1.ProgrammeCreated{Programme: &identityv1.Programme{Id: p, Name: "Lyon Solidaire"}})
	h.add(identityevents.ProgrammeCreated.Subject, q, "2024-01-01", &identityeventsv1.ProgrammeCreated{Programme: &identityv1.Programme{Id: q, Name: "Nantes Ensemble"}})

	h1 := h.host(p, "2026-01-05", "2026-01-06")
	h2 := h.host(p, "2026-02-01", "2026-02-02")
	h3 := h.host(p, "2025-12-20", "2025-12-21")
	h.add(hostsevents.HostArchived.Subject, p, "2026-03-01", &hostseventsv1.HostStatusChanged{Host: &hostseventsv1.HostProfile{HostId: h3, ProgrammeId: p}})
	h4 := h.host(p, "2025-03-01", "2025-03-02")

	s1 := h.student(p, "2026-01-10", "2026-01-11")
	s2 := h.student(p, "2026-01-12", "2026-01-13")
	s3 := h.student(p, "2026-03-01", "2026-03-02")
	h.student(p, "2026-04-01", "")
	s5 := h.student(p, "2025-04-01", "2025-04-02")

	a1 := h.application(p, s1, "2026-01-15")
	a2 := h.application(p, s2, "2026-01-20")
	a3 := h.application(p, s3, "2026-03-03")
	h.match(p, a1, "2026-02-01", "2026-02-10") // 26 days, within 4 months
	h.match(p, a2, "2026-03-01", "2026-06-01") // 132 days, not within (20 May)
	h.match(p, a3, "2026-03-05", "")

	// c1: 1 March to 15 July, ended early at the student's request (136 days).
	c1 := h.contract(p, h1, s1, "2026-03-01", "2026-12-31").event(contractsevents.ContractActivated, "2026-02-20", "SIGNED_BY_BOTH")
	c1.end = "2026-07-15"
	c1.event(contractsevents.ContractNoticeGiven, "2026-06-01", "REQUESTED_BY_STUDENT").event(contractsevents.ContractTerminated, "2026-07-15", "REQUESTED_BY_STUDENT")
	// c2: under way at the end of the year.
	h.contract(p, h2, s2, "2026-07-01", "2027-06-30").event(contractsevents.ContractActivated, "2026-06-10", "SIGNED_BY_BOTH")
	// c3: signed, then cancelled before its stay: no stay.
	h.contract(p, h1, s3, "2026-09-01", "2027-08-31").event(contractsevents.ContractActivated, "2026-08-01", "SIGNED_BY_BOTH").event(contractsevents.ContractCancelled, "2026-08-15", "WITHDRAWN_BEFORE_START")
	// c5: 1 June 2025 to 28 February 2026, to its end date (272 days, over 6 months).
	h.contract(p, h4, s5, "2025-06-01", "2026-02-28").event(contractsevents.ContractActivated, "2025-05-20", "SIGNED_BY_BOTH").event(contractsevents.ContractEnded, "2026-02-28", "END_DATE_REACHED")

	h.checkin(p, c1.id, "2026-03-08", false)
	h.checkin(p, c1.id, "2026-04-15", true)
	h.checkin(p, c1.id, "2026-07-10", false)
	h.checkin(p, c1.id, "2025-12-01", false) // before the period

	h.host(q, "2026-05-01", "2026-05-02")
	return h, p, q
}

// want2026 is programme P's year 2026, computed by hand from twoProgrammes.
func want2026(p string) string {
	return `{"programmeId":"` + p + `","name":"Lyon Solidaire","from":"2026-01-01","to":"2026-12-31",
	"hostsRegistered":2,"studentsRegistered":4,"hostsWaiting":2,"studentsWaiting":3,
	"matchesProposed":3,"matchesApproved":2,"staysStarted":2,"staysEnded":2,"staysUnderWay":1,"staysOver6Months":1,
	"averageStayDays":204,"medianDaysToMatch":79,"matchedWithin4MonthsPercent":50,
	"earlyTerminations":1,"earlyTerminationReasons":[{"reason":"REQUESTED_BY_STUDENT","count":1}],"checkinsDone":3,"checkinsOnTime":2}`
}

// publish sends every event, last first, then all of them again: out of order and twice.
func (e *env) publish(t *testing.T, h *history) {
	for i := len(h.evs) - 1; i >= 0; i-- {
		svctest.PublishEnvelope(t, e.js, h.evs[i])
	}
	for _, ev := range h.evs {
		svctest.PublishEnvelope(t, e.js, ev)
	}
}

// summary is the figures without the months, as JSON with every field.
func summary(t *testing.T, f *figuresv1.ProgrammeFigures) string {
	t.Helper()
	c := proto.Clone(f).(*figuresv1.ProgrammeFigures)
	c.Months = nil
	b, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func canon(t *testing.T, s string) string {
	t.Helper()
	var f figuresv1.ProgrammeFigures
	if err := protojson.Unmarshal([]byte(s), &f); err != nil {
		t.Fatal(err)
	}
	return summary(t, &f)
}

// waitFor asks for P's 2026 figures until they are want (the consumers are asynchronous).
func waitFor(t *testing.T, c figuresv1.FiguresServiceClient, ctx context.Context, p, want string) *figuresv1.ProgrammeFigures {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err := c.GetProgrammeFigures(ctx, &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: p, From: "2026-01-01", To: "2026-12-31"})
		if err == nil && summary(t, got) == want {
			return got
		}
		if time.Now().After(deadline) {
			if err != nil {
				t.Fatalf("figures: %v", err)
			}
			t.Fatalf("figures:\n got %s\nwant %s", summary(t, got), want)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestFiguresFromEventsOutOfOrderAndTwice: a programme's history told by its events, last
// first and each twice, gives the figures computed by hand; by month too. The same events
// replayed from the streams' start into an empty read model give the same figures.
func TestFiguresFromEventsOutOfOrderAndTwice(t *testing.T) {
	e := newEnv(t)
	h, p, _ := twoProgrammes(t)
	e.publish(t, h)
	c := e.start(t, "figures")
	coord := e.as(t, auth.RoleCoordinator, p)
	want := canon(t, want2026(p))
	got := waitFor(t, c, coord, p, want)

	if len(got.GetMonths()) != 12 {
		t.Fatalf("%d months", len(got.GetMonths()))
	}
	feb, jul := got.GetMonths()[1], got.GetMonths()[6]
	if feb.GetMonth() != "2026-02" || feb.GetHostsRegistered() != 1 || feb.GetStaysEnded() != 1 || feb.GetMatchesApproved() != 1 ||
		feb.GetStaysOver_6Months() != 1 || feb.GetAverageStayDays() != 272 || feb.GetMedianDaysToMatch() != 26 || feb.GetStaysUnderWay() != 0 {
		t.Errorf("February: %v", feb)
	}
	if jul.GetStaysStarted() != 1 || jul.GetStaysEnded() != 1 || jul.GetEarlyTerminations() != 1 || jul.GetStaysUnderWay() != 1 ||
		jul.GetCheckinsDone() != 1 || jul.GetCheckinsOnTime() != 1 {
		t.Errorf("July: %v", jul)
	}
	// March: c1 started (under way at its end), one check-in on time; April: one late.
	if m := got.GetMonths()[2]; m.GetStaysStarted() != 1 || m.GetStaysUnderWay() != 1 || m.GetCheckinsOnTime() != 1 {
		t.Errorf("March: %v", m)
	}
	if m := got.GetMonths()[3]; m.GetCheckinsDone() != 1 || m.GetCheckinsOnTime() != 0 {
		t.Errorf("April: %v", m)
	}

	// A replay: new consumers read every stream from its start into an empty database.
	replayed := e.start(t, "figures-rebuild")
	again := waitFor(t, replayed, coord, p, want)
	if !proto.Equal(got, again) {
		t.Fatalf("after a replay:\n%v\nbefore:\n%v", again, got)
	}
}

// TestWhoSeesWhichFigures: a coordinator sees her programme's figures and gets 404 for
// another's; the admin sees every programme side by side and the network's, with no name of a
// person; hosts and students see none; a bad period is a 400 naming the field.
func TestWhoSeesWhichFigures(t *testing.T) {
	e := newEnv(t)
	h, p, q := twoProgrammes(t)
	e.publish(t, h)
	c := e.start(t, "figures")
	waitFor(t, c, e.as(t, auth.RoleCoordinator, p), p, canon(t, want2026(p)))

	_, err := c.GetProgrammeFigures(e.as(t, auth.RoleCoordinator, q), &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: p})
	svctest.WantCode(t, err, codes.NotFound)
	for _, r := range []auth.Role{auth.RoleHost, auth.RoleStudent} {
		_, err = c.GetProgrammeFigures(e.as(t, r, p), &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: p})
		svctest.WantCode(t, err, codes.PermissionDenied)
	}
	_, err = c.GetNetworkFigures(e.as(t, auth.RoleCoordinator, p), &figuresv1.GetNetworkFiguresRequest{})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = c.GetProgrammeFigures(e.as(t, auth.RoleAdmin, ""), &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: id()})
	svctest.WantCode(t, err, codes.NotFound)

	admin := e.as(t, auth.RoleAdmin, "")
	own, err := c.GetProgrammeFigures(admin, &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: p, From: "2026-01-01", To: "2026-12-31"})
	if err != nil || summary(t, own) != canon(t, want2026(p)) {
		t.Fatalf("the admin reads P: %v %v", own, err)
	}
	n, err := c.GetNetworkFigures(admin, &figuresv1.GetNetworkFiguresRequest{From: "2026-01-01", To: "2026-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	if len(n.GetProgrammes()) != 2 || n.GetProgrammes()[0].GetName() != "Lyon Solidaire" || n.GetProgrammes()[1].GetProgrammeId() != q ||
		n.GetProgrammes()[1].GetHostsRegistered() != 1 || n.GetProgrammes()[1].GetHostsWaiting() != 1 {
		t.Fatalf("programmes: %v", n.GetProgrammes())
	}
	if summary(t, n.GetProgrammes()[0]) != canon(t, want2026(p)) {
		t.Fatalf("P in the network: %s", summary(t, n.GetProgrammes()[0]))
	}
	if w := n.GetNetwork(); w.GetHostsRegistered() != 3 || w.GetHostsWaiting() != 3 || w.GetStaysEnded() != 2 || w.GetProgrammeId() != "" {
		t.Fatalf("network: %v", w)
	}
	js, _ := protojson.Marshal(n)
	for _, personal := range []string{hostName, studentName, "Lyon\"", "Jeanne", "Léa"} {
		if strings.Contains(string(js), personal) {
			t.Fatalf("the network's figures hold %q: %s", personal, js)
		}
	}

	for _, bad := range []struct{ from, to, field string }{
		{"2026-13-01", "", "from"}, {"2026-01-01", "yesterday", "to"}, {"2026-05-01", "2026-04-30", "to"}, {"2000-01-01", "2026-01-01", "to"},
	} {
		_, err := c.GetProgrammeFigures(admin, &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: p, From: bad.from, To: bad.to})
		st := svctest.WantCode(t, err, codes.InvalidArgument)
		named := false
		for _, d := range st.Details() {
			if br, ok := d.(*errdetails.BadRequest); ok {
				for _, v := range br.GetFieldViolations() {
					named = named || v.GetField() == bad.field
				}
			}
		}
		if !named {
			t.Errorf("%s..%s: %v does not name %s", bad.from, bad.to, st, bad.field)
		}
	}
	// The default period is the clock's year.
	def, err := c.GetProgrammeFigures(admin, &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: p})
	if err != nil || def.GetFrom() != "2026-01-01" || def.GetTo() != "2026-12-31" {
		t.Fatalf("default period: %v %v", def, err)
	}
}

package service_test

import (
	"context"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/identity/internal/testdb"
	"github.com/cohabit/cohabit/services/identity/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	platformboot "github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

const (
	rootEmail    = "root@test.cohabit"
	rootPassword = "root-password-123"
	demoID       = "demo"
)

// clock is the service's clock in these tests: moving it expires a lockout without sleeping.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one running identity service with what a test needs around it.
type env struct {
	client identityv1.IdentityServiceClient
	clock  *clock
	dbURL  string
	js     jetstream.JetStream
}

// start boots service.Run on a fresh database and NATS server, as the other services find it:
// the HOSTS stream already declared.
func start(t *testing.T, opts ...func(*service.Config)) *env {
	t.Helper()
	ctx := context.Background()
	ns := natstest.New(t)
	e := &env{clock: &clock{now: time.Now().UTC()}, dbURL: testdb.NewURL(t)}

	nc, err := nats.Connect(ns.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	if e.js, err = jetstream.New(nc); err != nil {
		t.Fatal(err)
	}
	if err := natsx.EnsureStream(ctx, e.js, natsx.Stream{Name: hostsevents.Stream.Name, Subjects: hostsevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}

	_, key, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	cfg := service.Config{
		Config:     platformboot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: e.dbURL, NATSURL: ns.URL()},
		SigningKey: key,
		TokenTTL:   time.Hour,
		// The smallest cost argon2 accepts: tests check behaviour, not strength.
		Argon2Time: 1, Argon2MemoryKiB: 8, Argon2Threads: 1,
		BootstrapAdminEmail:    rootEmail,
		BootstrapAdminPassword: rootPassword,
		DevSeed:                true,
		Now:                    e.clock.Now,
	}
	for _, o := range opts {
		o(&cfg)
	}
	addr := boot(t, cfg)
	conn, err := grpcx.Dial(addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	e.client = identityv1.NewIdentityServiceClient(conn)
	return e
}

// boot runs service.Run until the test ends and returns the gRPC address once it listens.
func boot(t *testing.T, cfg service.Config) net.Addr {
	t.Helper()
	ready := make(chan net.Addr, 1)
	cfg.Ready = func(a net.Addr) { ready <- a }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- service.Run(ctx, cfg, logging.Discard()) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("service.Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("service.Run did not stop")
		}
	})
	select {
	case a := <-ready:
		return a
	case err := <-done:
		t.Fatalf("service.Run ended before listening: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("service did not listen within 30s")
	}
	return nil
}

func bearer(token string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
}

func (e *env) login(t *testing.T, email, password string) *identityv1.LoginResponse {
	t.Helper()
	resp, err := e.client.Login(context.Background(), &identityv1.LoginRequest{Email: email, Password: password})
	if err != nil {
		t.Fatalf("login %s: %v", email, err)
	}
	return resp
}

func (e *env) signup(t *testing.T, email string, role typev1.Role) *identityv1.Account {
	t.Helper()
	a, err := e.client.Signup(context.Background(), &identityv1.SignupRequest{Email: email, Password: "a good long password", Role: role, ProgrammeId: demoID})
	if err != nil {
		t.Fatalf("signup %s: %v", email, err)
	}
	return a
}

func wantCode(t *testing.T, err error, code codes.Code) *status.Status {
	t.Helper()
	s, _ := status.FromError(err)
	if s.Code() != code {
		t.Fatalf("want %s, got %v", code, err)
	}
	return s
}

func reasonOf(s *status.Status) string {
	for _, d := range s.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}

func violationsOf(s *status.Status) []string {
	var out []string
	for _, d := range s.Details() {
		if br, ok := d.(*errdetails.BadRequest); ok {
			for _, v := range br.GetFieldViolations() {
				out = append(out, v.GetField())
			}
		}
	}
	return out
}

func TestSignupLoginGetMe(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()

	list, err := e.client.ListProgrammes(ctx, &identityv1.ListProgrammesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetProgrammes()) != 1 || list.GetProgrammes()[0].GetId() != demoID || list.GetProgrammes()[0].GetSettings().GetHostMinAge() != 60 {
		t.Fatalf("programmes %v", list)
	}

	signed := e.signup(t, "  Anne.Martin@Example.org ", typev1.Role_ROLE_HOST)
	if signed.GetEmail() != "anne.martin@example.org" || signed.GetRole() != typev1.Role_ROLE_HOST || signed.GetProgrammeId() != demoID {
		t.Fatalf("signed up %v", signed)
	}
	// Issue 18: the same answer whether the email had an account or not (SPEC §3); the
	// account answered is not stored, so its password does not sign in.
	again, err := e.client.Signup(ctx, &identityv1.SignupRequest{Email: "anne.martin@example.org", Password: "another long password", Role: typev1.Role_ROLE_STUDENT, ProgrammeId: demoID})
	if err != nil || again.GetId() == "" || again.GetId() == signed.GetId() || again.GetEmail() != "anne.martin@example.org" || again.GetRole() != typev1.Role_ROLE_STUDENT {
		t.Fatalf("a sign-up with a taken email: %v %v", again, err)
	}
	_, err = e.client.Login(ctx, &identityv1.LoginRequest{Email: "anne.martin@example.org", Password: "another long password"})
	wantCode(t, err, codes.Unauthenticated)
	_, err = e.client.Signup(ctx, &identityv1.SignupRequest{Email: "anne.martin@example.org", Password: "another long password", Role: typev1.Role_ROLE_STUDENT, ProgrammeId: "01234567-89ab-7def-8123-456789abcdef"})
	wantCode(t, err, codes.InvalidArgument)

	session := e.login(t, "ANNE.MARTIN@example.org", "a good long password")
	if session.GetAccessToken() == "" || !session.GetExpiresAt().AsTime().After(time.Now()) || session.GetAccount().GetId() != signed.GetId() {
		t.Fatalf("session %v", session)
	}
	me, err := e.client.GetMe(bearer(session.GetAccessToken()), &identityv1.GetMeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(me, signed) {
		t.Fatalf("me %v, want %v", me, signed)
	}

	// The demo accounts of SPEC §5 exist, with their roles.
	coord := e.login(t, "coordinator@demo.cohabit.test", "coordinator-demo-password").GetAccount()
	if coord.GetRole() != typev1.Role_ROLE_COORDINATOR || coord.GetProgrammeId() != demoID {
		t.Fatalf("demo coordinator %v", coord)
	}
	if admin := e.login(t, "admin@demo.cohabit.test", "admin-demo-password").GetAccount(); admin.GetRole() != typev1.Role_ROLE_ADMIN || admin.GetProgrammeId() != "" {
		t.Fatalf("demo admin %v", admin)
	}
}

func TestLoginIsSlowedDownAfterFailures(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	e.signup(t, "bob@example.org", typev1.Role_ROLE_STUDENT)

	wrong := func(email string) string {
		_, err := e.client.Login(ctx, &identityv1.LoginRequest{Email: email, Password: "not the password"})
		return wantCode(t, err, codes.Unauthenticated).Message()
	}
	// An unknown email and a wrong password get the very same answer.
	if unknown, known := wrong("nobody@example.org"), wrong("bob@example.org"); unknown != known {
		t.Fatalf("unknown email says %q, wrong password says %q", unknown, known)
	}
	for range 4 {
		wrong("bob@example.org")
	}

	_, err := e.client.Login(ctx, &identityv1.LoginRequest{Email: "bob@example.org", Password: "a good long password"})
	s := wantCode(t, err, codes.ResourceExhausted)
	if reasonOf(s) != "TOO_MANY_ATTEMPTS" || !strings.Contains(s.Message(), "seconds") {
		t.Fatalf("lockout: reason %q message %q", reasonOf(s), s.Message())
	}

	e.clock.Advance(2 * time.Second)
	e.login(t, "bob@example.org", "a good long password")
	// The success forgot the failures: one more wrong password is just wrong.
	wrong("bob@example.org")
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()

	_, err := e.client.GetMe(ctx, &identityv1.GetMeRequest{})
	wantCode(t, err, codes.Unauthenticated)
	_, err = e.client.GetMe(bearer("forged.token.value"), &identityv1.GetMeRequest{})
	wantCode(t, err, codes.Unauthenticated)
	_, err = e.client.CreateProgramme(ctx, &identityv1.CreateProgrammeRequest{Programme: &identityv1.Programme{Name: "X", Territory: "Y"}})
	wantCode(t, err, codes.Unauthenticated)

	e.signup(t, "host@example.org", typev1.Role_ROLE_HOST)
	host := bearer(e.login(t, "host@example.org", "a good long password").GetAccessToken())
	_, err = e.client.CreateProgramme(host, &identityv1.CreateProgrammeRequest{Programme: &identityv1.Programme{Name: "X", Territory: "Y"}})
	wantCode(t, err, codes.PermissionDenied)
	_, err = e.client.CreateAccount(host, &identityv1.CreateAccountRequest{Email: "c@example.org", Password: "a good long password", Role: typev1.Role_ROLE_COORDINATOR, ProgrammeId: demoID})
	wantCode(t, err, codes.PermissionDenied)
	_, err = e.client.UpdateProgramme(host, &identityv1.UpdateProgrammeRequest{Programme: &identityv1.Programme{Id: demoID, Name: "Mine"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
	wantCode(t, err, codes.PermissionDenied)

	// A coordinator changes their own programme, and no other.
	admin := bearer(e.login(t, rootEmail, rootPassword).GetAccessToken())
	other, err := e.client.CreateProgramme(admin, &identityv1.CreateProgrammeRequest{Programme: &identityv1.Programme{Id: "grenoble", Name: "Grenoble Solidaire", Territory: "Grenoble"}})
	if err != nil {
		t.Fatal(err)
	}
	coord := bearer(e.login(t, "coordinator@demo.cohabit.test", "coordinator-demo-password").GetAccessToken())
	_, err = e.client.UpdateProgramme(coord, &identityv1.UpdateProgrammeRequest{Programme: &identityv1.Programme{Id: other.GetId(), Name: "Taken over"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}}})
	wantCode(t, err, codes.PermissionDenied)
	updated, err := e.client.UpdateProgramme(coord, &identityv1.UpdateProgrammeRequest{
		Programme:  &identityv1.Programme{Id: demoID, Settings: &identityv1.ProgrammeSettings{HostMinAge: 65}},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"settings.host_min_age"}},
	})
	if err != nil || updated.GetSettings().GetHostMinAge() != 65 || updated.GetSettings().GetStudentMaxAge() != 30 {
		t.Fatalf("coordinator update: %v %v", updated, err)
	}
	// The admin made by an admin can sign in; staff accounts are not for sign-up.
	if _, err := e.client.CreateAccount(admin, &identityv1.CreateAccountRequest{Email: "coord2@example.org", Password: "a good long password", Role: typev1.Role_ROLE_COORDINATOR, ProgrammeId: other.GetId()}); err != nil {
		t.Fatal(err)
	}
	if got := e.login(t, "coord2@example.org", "a good long password").GetAccount(); got.GetProgrammeId() != "grenoble" {
		t.Fatalf("coordinator %v", got)
	}
}

func TestBadInputNamesTheFields(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()

	_, err := e.client.Signup(ctx, &identityv1.SignupRequest{Email: "not-an-email", Password: "short", Role: typev1.Role_ROLE_ADMIN, ProgrammeId: demoID})
	s := wantCode(t, err, codes.InvalidArgument)
	if got := violationsOf(s); !slices.Equal(got, []string{"email", "password", "role"}) {
		t.Fatalf("violations %v", got)
	}

	_, err = e.client.Signup(ctx, &identityv1.SignupRequest{Email: "x@example.org", Password: "a good long password", Role: typev1.Role_ROLE_HOST, ProgrammeId: "nowhere"})
	s = wantCode(t, err, codes.InvalidArgument)
	if got := violationsOf(s); !slices.Equal(got, []string{"programmeId"}) || !strings.Contains(s.Message(), "does not exist") {
		t.Fatalf("unknown programme: %v %q", got, s.Message())
	}

	admin := bearer(e.login(t, rootEmail, rootPassword).GetAccessToken())
	_, err = e.client.CreateProgramme(admin, &identityv1.CreateProgrammeRequest{Programme: &identityv1.Programme{
		Name: "Loose", Territory: "Nowhere",
		Settings: &identityv1.ProgrammeSettings{HostMinAge: 55, NoticeDays: 15},
	}})
	s = wantCode(t, err, codes.InvalidArgument)
	if got := violationsOf(s); !slices.Contains(got, "settings.hostMinAge") || !slices.Contains(got, "settings.noticeDays") {
		t.Fatalf("loose settings: %v", got)
	}

	_, err = e.client.CreateAccount(admin, &identityv1.CreateAccountRequest{Email: "c@example.org", Password: "a good long password", Role: typev1.Role_ROLE_COORDINATOR})
	if got := violationsOf(wantCode(t, err, codes.InvalidArgument)); !slices.Equal(got, []string{"programmeId"}) {
		t.Fatalf("coordinator without programme: %v", got)
	}
}

func TestProgrammeEventsReachTheStream(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	admin := bearer(e.login(t, rootEmail, rootPassword).GetAccessToken())

	req := &identityv1.CreateProgrammeRequest{Programme: &identityv1.Programme{Name: "Nantes Ensemble", Territory: "Nantes"}, RequestId: "7d3c1c9e-retry-safe"}
	created, err := e.client.CreateProgramme(admin, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(created.GetSettings().GetFormulas()) != 3 || created.GetSettings().GetContributionCapCents() != 35000 {
		t.Fatalf("defaults not applied: %v", created.GetSettings())
	}
	retried, err := e.client.CreateProgramme(admin, req)
	if err != nil || !proto.Equal(retried, created) {
		t.Fatalf("retry: %v %v", retried, err)
	}

	_, err = e.client.UpdateProgramme(admin, &identityv1.UpdateProgrammeRequest{
		Programme:  &identityv1.Programme{Id: created.GetId(), Etag: "stale", Name: "Renamed"},
		UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"name"}},
	})
	wantCode(t, err, codes.Aborted)

	cons, err := e.js.OrderedConsumer(ctx, service.StreamName, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{identityevents.ProgrammeCreated.Subject},
	})
	if err != nil {
		t.Fatal(err)
	}
	var found int
	for found == 0 {
		msg, err := cons.Next(jetstream.FetchMaxWait(10 * time.Second))
		if err != nil {
			t.Fatalf("programme.created of %s never reached the stream: %v", created.GetId(), err)
		}
		env, err := event.Decode(msg.Data())
		if err != nil {
			t.Fatal(err)
		}
		if env.GetProgrammeId() != created.GetId() {
			continue // the demo programme's
		}
		found++
		if got := msg.Headers().Get(jetstream.MsgIDHeader); got != env.GetId() {
			t.Fatalf("Nats-Msg-Id %q, want the envelope id %q", got, env.GetId())
		}
		payload, err := event.Payload(env, &identityeventsv1.ProgrammeCreated{})
		if err != nil || !proto.Equal(payload.GetProgramme(), created) {
			t.Fatalf("payload %v (%v), want %v", payload, err, created)
		}
	}
	// The retried create published nothing more: the demo programme's event and this one.
	stream, err := e.js.Stream(ctx, service.StreamName)
	if err != nil {
		t.Fatal(err)
	}
	info, err := stream.Info(ctx, jetstream.WithSubjectFilter(identityevents.ProgrammeCreated.Subject))
	if err != nil {
		t.Fatal(err)
	}
	if n := info.State.Subjects[identityevents.ProgrammeCreated.Subject]; n != 2 {
		t.Fatalf("%d programme.created events, want 2", n)
	}
}

func TestHostRegisteredLinksTheAccountOnce(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	acct := e.signup(t, "claire@example.org", typev1.Role_ROLE_HOST)
	token := bearer(e.login(t, "claire@example.org", "a good long password").GetAccessToken())

	publish := func(owner, hostID string) (string, func(msgID string)) {
		env, err := event.New(hostsevents.HostRegistered.Subject, demoID, time.Now(), &hostseventsv1.HostRegistered{
			Host: &hostseventsv1.HostProfile{HostId: hostID, ProgrammeId: demoID, OwnerAccountId: owner, DisplayName: "Claire"},
		})
		if err != nil {
			t.Fatal(err)
		}
		data, err := proto.Marshal(env)
		if err != nil {
			t.Fatal(err)
		}
		send := func(msgID string) {
			msg := &nats.Msg{Subject: env.GetType(), Data: data, Header: nats.Header{}}
			msg.Header.Set(jetstream.MsgIDHeader, msgID)
			if _, err := e.js.PublishMsg(ctx, msg); err != nil {
				t.Fatal(err)
			}
		}
		send(env.GetId())
		return env.GetId(), send
	}
	// An assisted host has no account: nothing to link, and the consumer moves on.
	publish("", "h-assisted")
	eventID, resend := publish(acct.GetId(), "h-claire")

	var me *identityv1.Account
	for {
		var err error
		if me, err = e.client.GetMe(token, &identityv1.GetMeRequest{}); err != nil {
			t.Fatal(err)
		}
		if me.GetHostId() != "" {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the account was never linked to its host")
		case <-time.After(50 * time.Millisecond):
		}
	}
	if me.GetHostId() != "h-claire" {
		t.Fatalf("host id %q", me.GetHostId())
	}

	// The same event again, past JetStream's deduplication (as after its window): the inbox
	// makes it a no-op.
	resend(eventID + "-redelivered")
	waitConsumed(ctx, t, e.js, hostsevents.Stream.Name, "identity-hosts", 3)
	again, err := e.client.GetMe(token, &identityv1.GetMeRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if again.GetEtag() != me.GetEtag() || again.GetHostId() != "h-claire" {
		t.Fatalf("handled twice: %v then %v", me, again)
	}
	pool, err := pgxpool.New(ctx, e.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var claims int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM inbox WHERE consumer = 'identity' AND event_id = $1`, eventID).Scan(&claims); err != nil || claims != 1 {
		t.Fatalf("%d inbox claims (%v), want 1", claims, err)
	}
}

// waitConsumed waits until the durable consumer has acknowledged the stream's first n messages.
func waitConsumed(ctx context.Context, t *testing.T, js jetstream.JetStream, stream, durable string, n uint64) {
	t.Helper()
	for {
		c, err := js.Consumer(ctx, stream, durable)
		if err == nil {
			info, err := c.Info(ctx)
			if err == nil && info.AckFloor.Stream >= n && info.NumAckPending == 0 {
				return
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("consumer %s never acknowledged %d messages", durable, n)
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func TestRunTwiceKeepsTheSeed(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	// A second replica on the same database and NATS: migrations, seed and bootstrap admin are
	// all no-ops, and both serve.
	_, key, _ := auth.GenerateKey()
	list, err := e.client.ListProgrammes(ctx, &identityv1.ListProgrammesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	ns := e.js.Conn().ConnectedUrl()
	addr := boot(t, service.Config{
		Config:                 platformboot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: e.dbURL, NATSURL: ns},
		SigningKey:             key,
		TokenTTL:               time.Minute,
		Argon2Time:             1,
		Argon2MemoryKiB:        8,
		Argon2Threads:          1,
		BootstrapAdminEmail:    rootEmail,
		BootstrapAdminPassword: "another password entirely",
		DevSeed:                true,
	})
	conn, err := grpcx.Dial(addr.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	second := identityv1.NewIdentityServiceClient(conn)
	list2, err := second.ListProgrammes(ctx, &identityv1.ListProgrammesRequest{})
	if err != nil || !proto.Equal(list, list2) {
		t.Fatalf("second replica sees %v (%v), first %v", list2, err, list)
	}
	// The bootstrap admin kept its first password.
	if _, err := second.Login(ctx, &identityv1.LoginRequest{Email: rootEmail, Password: rootPassword}); err != nil {
		t.Fatal(err)
	}
}

func TestRunRefusesAMissingKey(t *testing.T) {
	t.Parallel()
	cfg, err := service.LoadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	err = service.Run(context.Background(), cfg, logging.Discard())
	if err == nil || !strings.Contains(err.Error(), service.EnvTokenPrivateKeyFile) {
		t.Fatalf("want a missing key error, got %v", err)
	}
}

package service_test

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/identity/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// inviting is an identity service that knows two records registered by a coordinator of the
// demo programme, without accounts (as their registered events tell it), and accepts service
// tokens from the notifications service.
type inviting struct {
	*env
	pool           *pgxpool.Pool
	coord, service context.Context
	hostID         string
	studentID      string
}

func startInviting(t *testing.T) *inviting {
	t.Helper()
	_, svcKey, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	e := start(t, func(c *service.Config) { c.Service = auth.ServiceKeys{Public: svcKey.Public().(ed25519.PublicKey)} })
	ctx := context.Background()
	if err := natsx.EnsureStream(ctx, e.js, natsx.Stream{Name: studentsevents.Stream.Name, Subjects: studentsevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	pool, err := pgxpool.New(ctx, e.dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	tok, err := auth.NewServiceIssuer(svcKey, "notifications").Token()
	if err != nil {
		t.Fatal(err)
	}
	in := &inviting{
		env: e, pool: pool,
		coord:   bearer(e.login(t, "coordinator@demo.cohabit.test", "coordinator-demo-password").GetAccessToken()),
		service: metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok),
		hostID:  uuid.NewString(), studentID: uuid.NewString(),
	}
	in.publish(t, hostsevents.HostRegistered.Subject, &hostseventsv1.HostRegistered{
		Host: &hostseventsv1.HostProfile{HostId: in.hostID, ProgrammeId: demoID, DisplayName: "Jeanne", Assisted: true}})
	in.publish(t, studentsevents.StudentRegistered.Subject, &studentseventsv1.StudentRegistered{
		Student: &studentseventsv1.StudentProfile{StudentId: in.studentID, ProgrammeId: demoID, DisplayName: "Léa"}})
	wctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	waitConsumed(wctx, t, e.js, hostsevents.Stream.Name, "identity-hosts", 1)
	waitConsumed(wctx, t, e.js, studentsevents.Stream.Name, "identity-students", 1)
	return in
}

func (in *inviting) publish(t *testing.T, subject string, payload proto.Message) {
	t.Helper()
	env, err := event.New(subject, demoID, time.Now(), payload)
	if err != nil {
		t.Fatal(err)
	}
	data, err := proto.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.js.Publish(context.Background(), subject, data); err != nil {
		t.Fatal(err)
	}
}

// code reads an invitation's code as the notifications service does.
func (in *inviting) code(t *testing.T, invitationID string) string {
	t.Helper()
	c, err := in.client.GetInvitationCode(in.service, &identityv1.GetInvitationCodeRequest{Id: invitationID})
	if err != nil {
		t.Fatalf("code of %s: %v", invitationID, err)
	}
	return c.GetCode()
}

// outboxPayloads decodes the outbox's events of subject, in order, and checks that none
// carries text.
func outboxPayloads[M proto.Message](t *testing.T, pool *pgxpool.Pool, subject string, newM func() M, forbidden ...string) []M {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT envelope FROM outbox WHERE subject = $1 ORDER BY seq`, subject)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []M
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			t.Fatal(err)
		}
		for _, f := range forbidden {
			if f != "" && strings.Contains(string(b), f) {
				t.Fatalf("%s carries %q", subject, f)
			}
		}
		env, err := event.Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		m, err := event.Payload(env, newM())
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

func signupWith(client identityv1.IdentityServiceClient, email, code string) (*identityv1.Account, error) {
	return client.Signup(context.Background(), &identityv1.SignupRequest{
		Email: email, Password: "a good long password", InviteCode: code,
		// Sent by a form that does not know better: the record's role and programme win.
		Role: typev1.Role_ROLE_HOST,
	})
}

func TestInviteThenSignupWithTheCodeLinksTheRecordOnce(t *testing.T) {
	t.Parallel()
	in := startInviting(t)

	first, err := in.client.InviteStudent(in.coord, &identityv1.InviteStudentRequest{Id: in.studentID})
	if err != nil {
		t.Fatal(err)
	}
	want := in.clock.Now().Add(14 * 24 * time.Hour)
	if got := first.GetInviteExpiresAt().AsTime(); got.Sub(want).Abs() > time.Second || first.GetRecordId() != in.studentID ||
		first.GetRecordKind() != identityv1.RecordKind_RECORD_KIND_STUDENT || first.GetProgrammeId() != demoID {
		t.Fatalf("invitation %v", first)
	}
	oldCode := in.code(t, first.GetId())

	// A new invitation replaces the first: its code stops working.
	second, err := in.client.InviteStudent(in.coord, &identityv1.InviteStudentRequest{Id: in.studentID})
	if err != nil {
		t.Fatal(err)
	}
	code := in.code(t, second.GetId())
	if code == oldCode || len(code) < 8 || len(code) > 64 {
		t.Fatalf("codes %q then %q", oldCode, code)
	}
	_, err = in.client.GetInvitationCode(in.service, &identityv1.GetInvitationCodeRequest{Id: first.GetId()})
	wantCode(t, err, codes.NotFound)
	created := outboxPayloads(t, in.pool, identityevents.InvitationCreated.Subject, func() *identityeventsv1.InvitationCreated { return &identityeventsv1.InvitationCreated{} }, oldCode, code)
	if len(created) != 2 || created[1].GetInvitationId() != second.GetId() || created[1].GetReplacesInvitationId() != first.GetId() ||
		created[1].GetRecordId() != in.studentID || created[1].GetRecordKind() != identityv1.RecordKind_RECORD_KIND_STUDENT ||
		!created[1].GetExpireTime().AsTime().Equal(second.GetInviteExpiresAt().AsTime()) {
		t.Fatalf("invitation.created events %v", created)
	}

	// Wrong codes: one answer, on inviteCode, nothing created, and no lockout of the email
	// (more wrong codes than sign-in allows failures).
	for _, wrong := range []string{oldCode, strings.Repeat("x", 43), "short", "has spaces in it", strings.Repeat("a", 65)} {
		_, err := signupWith(in.client, "lea@example.org", wrong)
		s := wantCode(t, err, codes.InvalidArgument)
		if v := violationsOf(s); !slices.Equal(v, []string{"inviteCode"}) {
			t.Fatalf("code %q: violations %v", wrong, v)
		}
	}
	var accounts int
	if err := in.pool.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE email = 'lea@example.org'`).Scan(&accounts); err != nil || accounts != 0 {
		t.Fatalf("%d accounts after wrong codes (%v)", accounts, err)
	}

	acct, err := signupWith(in.client, "Lea@Example.org", code)
	if err != nil {
		t.Fatal(err)
	}
	if acct.GetRole() != typev1.Role_ROLE_STUDENT || acct.GetProgrammeId() != demoID || acct.GetStudentId() != in.studentID || acct.GetHostId() != "" {
		t.Fatalf("account %v", acct)
	}
	// She signs in at once: the wrong codes counted for nothing.
	session := in.login(t, "lea@example.org", "a good long password")
	me, err := in.client.GetMe(bearer(session.GetAccessToken()), &identityv1.GetMeRequest{})
	if err != nil || me.GetStudentId() != in.studentID {
		t.Fatalf("me %v %v", me, err)
	}

	// Once: the code, used, opens nothing, and is gone for the notifications service too.
	_, err = signupWith(in.client, "someone.else@example.org", code)
	wantCode(t, err, codes.InvalidArgument)
	_, err = in.client.GetInvitationCode(in.service, &identityv1.GetInvitationCodeRequest{Id: second.GetId()})
	wantCode(t, err, codes.NotFound)
	var kept *string
	if err := in.pool.QueryRow(context.Background(), `SELECT code FROM invitations WHERE id = $1`, second.GetId()).Scan(&kept); err != nil || kept != nil {
		t.Fatalf("used code kept: %v %v", kept, err)
	}
	// Nobody to invite any more.
	_, err = in.client.InviteStudent(in.coord, &identityv1.InviteStudentRequest{Id: in.studentID})
	if reasonOf(wantCode(t, err, codes.FailedPrecondition)) != "RECORD_HAS_ACCOUNT" {
		t.Fatalf("invite a record with an account: %v", err)
	}

	accepted := outboxPayloads(t, in.pool, identityevents.InvitationAccepted.Subject, func() *identityeventsv1.InvitationAccepted { return &identityeventsv1.InvitationAccepted{} }, code, "lea@")
	if len(accepted) != 1 || accepted[0].GetAccountId() != acct.GetId() || accepted[0].GetRecordId() != in.studentID ||
		accepted[0].GetRecordKind() != identityv1.RecordKind_RECORD_KIND_STUDENT || accepted[0].GetProgrammeId() != demoID {
		t.Fatalf("invitation.accepted %v", accepted)
	}

	// The host's invitation works the same way, to a host account.
	hostInv, err := in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{Id: in.hostID})
	if err != nil {
		t.Fatal(err)
	}
	host, err := in.client.Signup(context.Background(), &identityv1.SignupRequest{Email: "jeanne@example.org", Password: "a good long password", InviteCode: in.code(t, hostInv.GetId())})
	if err != nil || host.GetRole() != typev1.Role_ROLE_HOST || host.GetHostId() != in.hostID {
		t.Fatalf("host account %v %v", host, err)
	}
}

func TestExpiredCodeIsRefusedAndDropped(t *testing.T) {
	t.Parallel()
	in := startInviting(t)
	inv, err := in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{Id: in.hostID})
	if err != nil {
		t.Fatal(err)
	}
	code := in.code(t, inv.GetId())

	in.clock.Advance(14*24*time.Hour + time.Second)
	_, err = in.client.GetInvitationCode(in.service, &identityv1.GetInvitationCodeRequest{Id: inv.GetId()})
	wantCode(t, err, codes.NotFound)
	_, err = signupWith(in.client, "jeanne@example.org", code)
	if s := wantCode(t, err, codes.InvalidArgument); !slices.Equal(violationsOf(s), []string{"inviteCode"}) {
		t.Fatalf("expired: %v", err)
	}
	var kept *string
	if err := in.pool.QueryRow(context.Background(), `SELECT code FROM invitations WHERE id = $1`, inv.GetId()).Scan(&kept); err != nil || kept != nil {
		t.Fatalf("expired code kept: %v %v", kept, err)
	}
	// A new invitation works again.
	again, err := in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{Id: in.hostID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := signupWith(in.client, "jeanne@example.org", in.code(t, again.GetId())); err != nil {
		t.Fatal(err)
	}
}

func TestInviteAuthorization(t *testing.T) {
	t.Parallel()
	in := startInviting(t)
	ctx := context.Background()

	admin := bearer(in.login(t, rootEmail, rootPassword).GetAccessToken())
	if _, err := in.client.CreateProgramme(admin, &identityv1.CreateProgrammeRequest{Programme: &identityv1.Programme{Id: "grenoble", Name: "Grenoble Solidaire", Territory: "Grenoble"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := in.client.CreateAccount(admin, &identityv1.CreateAccountRequest{Email: "coord@grenoble.org", Password: "a good long password", Role: typev1.Role_ROLE_COORDINATOR, ProgrammeId: "grenoble"}); err != nil {
		t.Fatal(err)
	}
	other := bearer(in.login(t, "coord@grenoble.org", "a good long password").GetAccessToken())
	in.signup(t, "host@example.org", typev1.Role_ROLE_HOST)
	host := bearer(in.login(t, "host@example.org", "a good long password").GetAccessToken())
	in.signup(t, "student@example.org", typev1.Role_ROLE_STUDENT)
	student := bearer(in.login(t, "student@example.org", "a good long password").GetAccessToken())

	// Another programme's coordinator: as if the record did not exist.
	_, err := in.client.InviteHost(other, &identityv1.InviteHostRequest{Id: in.hostID})
	wantCode(t, err, codes.NotFound)
	_, err = in.client.InviteStudent(other, &identityv1.InviteStudentRequest{Id: in.studentID})
	wantCode(t, err, codes.NotFound)
	// A host id is not a student id, and an unknown id is unknown.
	_, err = in.client.InviteStudent(in.coord, &identityv1.InviteStudentRequest{Id: in.hostID})
	wantCode(t, err, codes.NotFound)
	_, err = in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{Id: uuid.NewString()})
	wantCode(t, err, codes.NotFound)
	_, err = in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{})
	wantCode(t, err, codes.InvalidArgument)
	// Hosts, students, admins and the anonymous do not invite.
	for name, caller := range map[string]context.Context{"host": host, "student": student, "admin": admin} {
		_, err = in.client.InviteHost(caller, &identityv1.InviteHostRequest{Id: in.hostID})
		if s := wantCode(t, err, codes.PermissionDenied); s == nil {
			t.Fatal(name)
		}
		_, err = in.client.InviteStudent(caller, &identityv1.InviteStudentRequest{Id: in.studentID})
		wantCode(t, err, codes.PermissionDenied)
	}
	_, err = in.client.InviteHost(ctx, &identityv1.InviteHostRequest{Id: in.hostID})
	wantCode(t, err, codes.Unauthenticated)

	// Only a service reads a code: not the coordinator who invited, not a person.
	inv, err := in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{Id: in.hostID})
	if err != nil {
		t.Fatal(err)
	}
	for _, caller := range []context.Context{in.coord, host, admin} {
		_, err = in.client.GetInvitationCode(caller, &identityv1.GetInvitationCodeRequest{Id: inv.GetId()})
		wantCode(t, err, codes.PermissionDenied)
	}
	_, err = in.client.GetInvitationCode(in.service, &identityv1.GetInvitationCodeRequest{Id: "not-a-uuid"})
	wantCode(t, err, codes.NotFound)
	if c := in.code(t, inv.GetId()); c == "" {
		t.Fatal("no code for the service")
	}
}

// She signed up on her own before her coordinator invited her (her own record was refused as
// a duplicate): following the invitation with her email and password links her account, no
// second one.
func TestInvitationLinksTheAccountSheAlreadyHas(t *testing.T) {
	t.Parallel()
	in := startInviting(t)
	mine := in.signup(t, "lea@example.org", typev1.Role_ROLE_STUDENT)
	inv, err := in.client.InviteStudent(in.coord, &identityv1.InviteStudentRequest{Id: in.studentID})
	if err != nil {
		t.Fatal(err)
	}
	code := in.code(t, inv.GetId())

	_, err = in.client.Signup(context.Background(), &identityv1.SignupRequest{Email: "lea@example.org", Password: "not her password", InviteCode: code})
	if s := wantCode(t, err, codes.InvalidArgument); !slices.Equal(violationsOf(s), []string{"password"}) {
		t.Fatalf("wrong password: %v", err)
	}
	linked, err := in.client.Signup(context.Background(), &identityv1.SignupRequest{Email: "LEA@example.org", Password: "a good long password", InviteCode: code})
	if err != nil {
		t.Fatal(err)
	}
	if linked.GetId() != mine.GetId() || linked.GetStudentId() != in.studentID {
		t.Fatalf("linked %v, had %v", linked, mine)
	}
	// The code is used; a host account cannot take a student record.
	_, err = signupWith(in.client, "lea@example.org", code)
	wantCode(t, err, codes.InvalidArgument)
	in.signup(t, "jeanne@example.org", typev1.Role_ROLE_STUDENT)
	hostInv, err := in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{Id: in.hostID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = in.client.Signup(context.Background(), &identityv1.SignupRequest{Email: "jeanne@example.org", Password: "a good long password", InviteCode: in.code(t, hostInv.GetId())})
	if reasonOf(wantCode(t, err, codes.FailedPrecondition)) != "WRONG_ROLE" {
		t.Fatalf("student account, host record: %v", err)
	}
	accepted := outboxPayloads(t, in.pool, identityevents.InvitationAccepted.Subject, func() *identityeventsv1.InvitationAccepted { return &identityeventsv1.InvitationAccepted{} })
	if len(accepted) != 1 || accepted[0].GetAccountId() != mine.GetId() {
		t.Fatalf("invitation.accepted %v", accepted)
	}
}

// A code works once, even when two sign-ups race with it: one account, the other refused.
func TestACodeWorksOnceUnderRace(t *testing.T) {
	t.Parallel()
	in := startInviting(t)
	inv, err := in.client.InviteHost(in.coord, &identityv1.InviteHostRequest{Id: in.hostID})
	if err != nil {
		t.Fatal(err)
	}
	code := in.code(t, inv.GetId())
	got := svctest.Concurrently(6, func(i int) error {
		_, err := signupWith(in.client, fmt.Sprintf("racer%d@example.org", i), code)
		return err
	})
	if got[codes.OK] != 1 || got[codes.InvalidArgument] != 5 {
		t.Fatalf("outcomes %v", got)
	}
	var owners int
	if err := in.pool.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE host_id = $1`, in.hostID).Scan(&owners); err != nil || owners != 1 {
		t.Fatalf("%d owners (%v)", owners, err)
	}
}

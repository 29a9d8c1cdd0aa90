package service_test

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
	"github.com/cohabit/cohabit/services/students/internal/grpcapi"
	"github.com/cohabit/cohabit/services/students/internal/postgres"
	"github.com/cohabit/cohabit/services/students/service"
)

type env struct {
	client studentsv1.StudentServiceClient
	js     jetstream.JetStream
	issuer *auth.Issuer
}

func start(t *testing.T) *env {
	t.Helper()
	url := svctest.DatabaseURL(t, "students", postgres.Sets()...)
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config: boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
		}, logging.Discard())
	})
	return &env{client: studentsv1.NewStudentServiceClient(cc), js: svctest.JetStream(t, ns.URL()), issuer: issuer}
}

func (e *env) as(t *testing.T, role auth.Role, programme string) (context.Context, string) {
	t.Helper()
	return svctest.As(t, e.issuer, role, programme)
}

// yearsAgo is a birth date that makes someone exactly `years` old today, whatever today is.
func yearsAgo(years int) string { return time.Now().AddDate(-years, 0, 0).Format("2006-01-02") }

func inFuture(months int) string { return time.Now().AddDate(0, months, 0).Format("2006-01-02") }

func studentInput(birth string) *studentsv1.Student {
	return &studentsv1.Student{
		DisplayName: "Léa Dubois", BirthDate: birth, Email: "lea@example.org", Phone: "+33 6 12 34 56 78",
		Institution: "Université Lyon 2", Studies: "Sociologie",
		StudyPlace:   &studentsv1.StudyPlace{Lat: 45.75, Lng: 4.84, City: "Lyon"},
		MaxCommuteKm: 10, Languages: []string{"fr", "en"}, AcceptsPets: true,
		ServicesOffered:     []typev1.Service{typev1.Service_SERVICE_COMPANY, typev1.Service_SERVICE_DIGITAL_HELP},
		HoursOfferedPerWeek: 4, NightsPresentPerWeek: 5, Rhythm: typev1.Rhythm_RHYTHM_FLEXIBLE,
		Gender: typev1.Gender_GENDER_FEMALE, Motivation: "J'aime cuisiner et partager des repas.",
	}
}

func applicationInput() *studentsv1.Application {
	return &studentsv1.Application{BudgetCents: 20000, MoveInDate: inFuture(1), MoveOutDate: inFuture(10), Areas: []string{"Croix-Rousse"}}
}

// nextEvents reads the STUDENTS stream from the start with an ephemeral consumer filtered on
// subject.
func nextEvents(t *testing.T, js jetstream.JetStream, subject string, n int) []jetstream.Msg {
	t.Helper()
	return svctest.NextEvents(t, js, studentsevents.Stream.Name, subject, n)
}

// decode checks that the message's Nats-Msg-Id is its envelope id and leaks no contact
// details or free text, and returns the envelope's payload.
func decode[M proto.Message](t *testing.T, m jetstream.Msg, into M) M {
	t.Helper()
	env, err := event.Decode(m.Data())
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Headers().Get(jetstream.MsgIDHeader); got != env.GetId() {
		t.Fatalf("Nats-Msg-Id %q is not the event id %q", got, env.GetId())
	}
	for _, secret := range []string{"lea@example.org", "+33 6", "cuisiner", yearsAgo(20)} {
		if strings.Contains(string(m.Data()), secret) {
			t.Fatalf("%s leaks %q", m.Subject(), secret)
		}
	}
	p, err := event.Payload(env, into)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPolicyCoversEveryMethod(t *testing.T) {
	t.Parallel()
	for _, m := range studentsv1.StudentService_ServiceDesc.Methods {
		if _, ok := grpcapi.Policy["/"+studentsv1.StudentService_ServiceDesc.ServiceName+"/"+m.MethodName]; !ok {
			t.Errorf("%s has no authorization rule", m.MethodName)
		}
	}
	if len(grpcapi.Policy) != len(studentsv1.StudentService_ServiceDesc.Methods) {
		t.Errorf("the policy names %d methods, the service has %d", len(grpcapi.Policy), len(studentsv1.StudentService_ServiceDesc.Methods))
	}
}

func TestSelfRegistrationToApplication(t *testing.T) {
	t.Parallel()
	e := start(t)
	me, account := e.as(t, auth.RoleStudent, "lyon")
	coord, coordAccount := e.as(t, auth.RoleCoordinator, "lyon")

	s, err := e.client.CreateStudent(me, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20)), RequestId: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	if s.GetStatus() != studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION || s.GetOwnerAccountId() != account || s.GetProgrammeId() != "lyon" {
		t.Fatalf("registered student: %v", s)
	}
	again, err := e.client.CreateStudent(me, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20)), RequestId: "r1"})
	if err != nil || again.GetId() != s.GetId() {
		t.Fatalf("a retried create must return the first student: %v %v", again.GetId(), err)
	}
	_, err = e.client.CreateStudent(me, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20))})
	svctest.WantCode(t, err, codes.AlreadyExists)
	if grpcx.Reason(err) != "STUDENT_EXISTS" {
		t.Fatalf("second record of one account: reason %q", grpcx.Reason(err))
	}

	_, err = e.client.CreateApplication(me, &studentsv1.CreateApplicationRequest{StudentId: s.GetId(), Application: applicationInput()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "STUDENT_NOT_VERIFIED" {
		t.Fatalf("application before verification: reason %q", grpcx.Reason(err))
	}
	_, err = e.client.VerifyStudent(me, &studentsv1.VerifyStudentRequest{Id: s.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)
	v, err := e.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: s.GetId(), Etag: s.GetEtag()})
	if err != nil {
		t.Fatal(err)
	}
	if v.GetStatus() != studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED || v.GetVerifiedTime() == nil {
		t.Fatalf("verified student: %v", v)
	}

	a, err := e.client.CreateApplication(me, &studentsv1.CreateApplicationRequest{StudentId: s.GetId(), Application: applicationInput(), RequestId: "app-1"})
	if err != nil {
		t.Fatal(err)
	}
	if a.GetStatus() != studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED || a.GetStudentId() != s.GetId() || a.GetProgrammeId() != "lyon" {
		t.Fatalf("application: %v", a)
	}
	retried, err := e.client.CreateApplication(me, &studentsv1.CreateApplicationRequest{StudentId: s.GetId(), Application: applicationInput(), RequestId: "app-1"})
	if err != nil || retried.GetId() != a.GetId() {
		t.Fatalf("a retried application must return the first: %v %v", retried.GetId(), err)
	}
	_, err = e.client.CreateApplication(coord, &studentsv1.CreateApplicationRequest{StudentId: s.GetId(), Application: applicationInput()})
	svctest.WantCode(t, err, codes.AlreadyExists)
	if grpcx.Reason(err) != "APPLICATION_OPEN" {
		t.Fatalf("second open application: reason %q", grpcx.Reason(err))
	}

	_, err = e.client.WithdrawApplication(me, &studentsv1.WithdrawApplicationRequest{Id: a.GetId(), Etag: `W/"99"`})
	svctest.WantCode(t, err, codes.Aborted)
	w, err := e.client.WithdrawApplication(me, &studentsv1.WithdrawApplicationRequest{Id: a.GetId(), Etag: a.GetEtag()})
	if err != nil || w.GetStatus() != studentsv1.ApplicationStatus_APPLICATION_STATUS_WITHDRAWN {
		t.Fatalf("withdraw: %v %v", w, err)
	}
	_, err = e.client.WithdrawApplication(me, &studentsv1.WithdrawApplicationRequest{Id: a.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	second, err := e.client.CreateApplication(coord, &studentsv1.CreateApplicationRequest{StudentId: s.GetId(), Application: applicationInput()})
	if err != nil {
		t.Fatalf("applying again after a withdrawal: %v", err)
	}
	list, err := e.client.ListApplications(me, &studentsv1.ListApplicationsRequest{StudentId: s.GetId()})
	if err != nil || len(list.GetApplications()) != 2 {
		t.Fatalf("the student's applications: %v %v", list, err)
	}
	got, err := e.client.GetApplication(me, &studentsv1.GetApplicationRequest{Id: second.GetId()})
	if err != nil || got.GetStatus() != studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED {
		t.Fatalf("get application: %v %v", got, err)
	}

	registered := decode(t, nextEvents(t, e.js, studentsevents.StudentRegistered.Subject, 1)[0], &studentseventsv1.StudentRegistered{})
	if registered.GetStudent().GetStudentId() != s.GetId() || registered.GetStudent().GetAge() != 20 || registered.GetStudent().GetOwnerAccountId() != account {
		t.Fatalf("student.registered payload: %v", registered)
	}
	verified := decode(t, nextEvents(t, e.js, studentsevents.StudentVerified.Subject, 1)[0], &studentseventsv1.StudentVerified{})
	if verified.GetVerifiedByAccountId() != coordAccount || verified.GetStudent().GetStatus() != "VERIFIED" {
		t.Fatalf("student.verified payload: %v", verified)
	}
	submitted := nextEvents(t, e.js, studentsevents.ApplicationSubmitted.Subject, 2)
	sub := decode(t, submitted[0], &studentseventsv1.ApplicationSubmitted{})
	if sub.GetApplication().GetApplicationId() != a.GetId() || sub.GetApplication().GetBudgetCents() != 20000 ||
		sub.GetStudent().GetStudentId() != s.GetId() || sub.GetStudent().GetStudyCity() != "Lyon" ||
		sub.GetStudent().GetMaxCommuteKm() != 10 || len(sub.GetStudent().GetServicesOffered()) != 2 {
		t.Fatalf("application.submitted payload: %v", sub)
	}
	decode(t, submitted[1], &studentseventsv1.ApplicationSubmitted{})
	withdrawn := decode(t, nextEvents(t, e.js, studentsevents.ApplicationWithdrawn.Subject, 1)[0], &studentseventsv1.ApplicationWithdrawn{})
	if withdrawn.GetApplication().GetApplicationId() != a.GetId() || withdrawn.GetApplication().GetStatus() != "WITHDRAWN" {
		t.Fatalf("application.withdrawn payload: %v", withdrawn)
	}
}

func TestStudentAged30CannotBeVerified(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	s, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(30))})
	if err != nil {
		t.Fatal(err)
	}
	if s.GetOwnerAccountId() != "" || s.GetRegisteredByAccountId() == "" {
		t.Fatalf("a student registered by a coordinator has no owner: %v", s)
	}
	_, err = e.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: s.GetId()})
	st := svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "STUDENT_TOO_OLD" || !strings.Contains(st.Message(), "is 30") || !strings.Contains(st.Message(), "under 30") {
		t.Fatalf("reason %q message %q", grpcx.Reason(err), st.Message())
	}
	got, err := e.client.GetStudent(coord, &studentsv1.GetStudentRequest{Id: s.GetId()})
	if err != nil || got.GetStatus() != studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION {
		t.Fatalf("a refused verification changes nothing: %v %v", got, err)
	}
}

func TestProgrammeSettingsComeFromIdentityEvents(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	if err := natsx.EnsureStream(ctx, e.js, natsx.Stream{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	settings := &identityv1.ProgrammeSettings{StudentMaxAge: 28, ContributionCapCents: 20000}
	svctest.Publish(t, e.js, identityevents.ProgrammeCreated.Subject, "strict", &identityeventsv1.ProgrammeCreated{
		Programme: &identityv1.Programme{Id: "strict", Name: "Strict", Settings: settings, CreateTime: timestamppb.Now()},
	})
	coord, _ := e.as(t, auth.RoleCoordinator, "strict")
	young, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20))})
	if err != nil {
		t.Fatal(err)
	}
	older, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(28))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: young.GetId()}); err != nil {
		t.Fatal(err)
	}
	// The consumer applies the settings asynchronously: wait until the cap bites (an
	// application accepted before that is withdrawn), then check the age rule.
	in := applicationInput()
	in.BudgetCents = 25000
	deadline := time.Now().Add(10 * time.Second)
	for {
		a, err := e.client.CreateApplication(coord, &studentsv1.CreateApplicationRequest{StudentId: young.GetId(), Application: in})
		if err == nil {
			if _, err := e.client.WithdrawApplication(coord, &studentsv1.WithdrawApplicationRequest{Id: a.GetId()}); err != nil {
				t.Fatal(err)
			}
		}
		if s, _ := status.FromError(err); s.Code() == codes.InvalidArgument {
			if !strings.Contains(grpcx.FieldViolations(err)["budgetCents"], "20000") {
				t.Fatalf("violations %v", grpcx.FieldViolations(err))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("programme settings never applied: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	_, err = e.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: older.GetId()})
	if s := svctest.WantCode(t, err, codes.FailedPrecondition); grpcx.Reason(err) != "STUDENT_TOO_OLD" || !strings.Contains(s.Message(), "under 28") {
		t.Fatalf("reason %q message %q", grpcx.Reason(err), s.Message())
	}
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	otherCoord, _ := e.as(t, auth.RoleCoordinator, "paris")
	me, _ := e.as(t, auth.RoleStudent, "lyon")
	otherStudent, _ := e.as(t, auth.RoleStudent, "lyon")
	host, _ := e.as(t, auth.RoleHost, "lyon")
	admin, _ := e.as(t, auth.RoleAdmin, "")

	own, err := e.client.CreateStudent(me, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(21))})
	if err != nil {
		t.Fatal(err)
	}
	registered, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(22))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: own.GetId()}); err != nil {
		t.Fatal(err)
	}
	app, err := e.client.CreateApplication(me, &studentsv1.CreateApplicationRequest{StudentId: own.GetId(), Application: applicationInput()})
	if err != nil {
		t.Fatal(err)
	}

	// Hosts and admins never reach students, whatever the method.
	for _, ctx := range []context.Context{host, admin} {
		_, err = e.client.CreateStudent(ctx, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(21))})
		svctest.WantCode(t, err, codes.PermissionDenied)
		_, err = e.client.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: own.GetId()})
		svctest.WantCode(t, err, codes.PermissionDenied)
		_, err = e.client.ListStudents(ctx, &studentsv1.ListStudentsRequest{})
		svctest.WantCode(t, err, codes.PermissionDenied)
		_, err = e.client.GetApplication(ctx, &studentsv1.GetApplicationRequest{Id: app.GetId()})
		svctest.WantCode(t, err, codes.PermissionDenied)
	}
	_, err = e.client.ListStudents(context.Background(), &studentsv1.ListStudentsRequest{})
	svctest.WantCode(t, err, codes.Unauthenticated)

	// Out of reach is NotFound: another student's record, another programme's.
	_, err = e.client.GetStudent(otherStudent, &studentsv1.GetStudentRequest{Id: own.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetStudent(me, &studentsv1.GetStudentRequest{Id: registered.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetStudent(otherCoord, &studentsv1.GetStudentRequest{Id: own.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.VerifyStudent(otherCoord, &studentsv1.VerifyStudentRequest{Id: registered.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.UpdateStudent(otherCoord, &studentsv1.UpdateStudentRequest{Student: &studentsv1.Student{Id: own.GetId(), DisplayName: "X"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}}})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetApplication(otherCoord, &studentsv1.GetApplicationRequest{Id: app.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetApplication(otherStudent, &studentsv1.GetApplicationRequest{Id: app.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.ListApplications(otherCoord, &studentsv1.ListApplicationsRequest{StudentId: own.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.WithdrawApplication(otherStudent, &studentsv1.WithdrawApplicationRequest{Id: app.GetId()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.CreateApplication(otherCoord, &studentsv1.CreateApplicationRequest{StudentId: own.GetId(), Application: applicationInput()})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.GetStudent(coord, &studentsv1.GetStudentRequest{Id: "not-a-uuid"})
	svctest.WantCode(t, err, codes.NotFound)
	_, err = e.client.ArchiveStudent(me, &studentsv1.ArchiveStudentRequest{Id: own.GetId()})
	svctest.WantCode(t, err, codes.PermissionDenied)

	// Lists: a student sees only their own record, a coordinator only their programme's.
	list, err := e.client.ListStudents(me, &studentsv1.ListStudentsRequest{})
	if err != nil || len(list.GetStudents()) != 1 || list.GetStudents()[0].GetId() != own.GetId() {
		t.Fatalf("a student lists only their own record: %v %v", list, err)
	}
	list, err = e.client.ListStudents(coord, &studentsv1.ListStudentsRequest{PageSize: 1})
	if err != nil || len(list.GetStudents()) != 1 || list.GetNextPageToken() == "" {
		t.Fatalf("first page: %v %v", list, err)
	}
	page2, err := e.client.ListStudents(coord, &studentsv1.ListStudentsRequest{PageSize: 1, PageToken: list.GetNextPageToken()})
	if err != nil || len(page2.GetStudents()) != 1 || page2.GetStudents()[0].GetId() == list.GetStudents()[0].GetId() {
		t.Fatalf("second page: %v %v", page2, err)
	}
	pending, err := e.client.ListStudents(coord, &studentsv1.ListStudentsRequest{Status: studentsv1.StudentStatus_STUDENT_STATUS_PENDING_VERIFICATION})
	if err != nil || len(pending.GetStudents()) != 1 || pending.GetStudents()[0].GetId() != registered.GetId() {
		t.Fatalf("pending students: %v %v", pending, err)
	}
	none, err := e.client.ListStudents(otherCoord, &studentsv1.ListStudentsRequest{})
	if err != nil || len(none.GetStudents()) != 0 {
		t.Fatalf("another programme's coordinator sees %d students (%v)", len(none.GetStudents()), err)
	}
	_, err = e.client.ArchiveStudent(coord, &studentsv1.ArchiveStudentRequest{Id: own.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	if grpcx.Reason(err) != "APPLICATION_OPEN" {
		t.Fatalf("archiving a student with an open application: reason %q", grpcx.Reason(err))
	}
	archived, err := e.client.ArchiveStudent(coord, &studentsv1.ArchiveStudentRequest{Id: registered.GetId(), Etag: registered.GetEtag()})
	if err != nil || archived.GetStatus() != studentsv1.StudentStatus_STUDENT_STATUS_ARCHIVED {
		t.Fatalf("archive: %v %v", archived, err)
	}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	bad := studentInput("01/06/2004")
	bad.DisplayName = ""
	bad.StudyPlace.Lat = 95
	bad.MaxCommuteKm = 0
	bad.Languages = []string{"french"}
	bad.ServicesOffered = []typev1.Service{typev1.Service_SERVICE_UNSPECIFIED}
	_, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: bad})
	svctest.WantCode(t, err, codes.InvalidArgument)
	// The platform's input rule (grpcx) refuses an unspecified value in a list before the
	// handler sees the request; the handler then names every other bad field at once.
	if got := grpcx.FieldViolations(err); got["servicesOffered"] == "" {
		t.Fatalf("violations %v", got)
	}
	bad.ServicesOffered = nil
	_, err = e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: bad})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if got := grpcx.FieldViolations(err); got["birthDate"] == "" {
		t.Fatalf("violations %v", got)
	}
	bad.BirthDate = yearsAgo(20)
	bad.Email, bad.Phone = "", ""
	_, err = e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: bad})
	svctest.WantCode(t, err, codes.InvalidArgument)
	for _, f := range []string{"displayName", "studyPlace.lat", "maxCommuteKm", "languages", "email"} {
		if grpcx.FieldViolations(err)[f] == "" {
			t.Fatalf("violations %v lack %s", grpcx.FieldViolations(err), f)
		}
	}
	_, err = e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{})
	svctest.WantCode(t, err, codes.InvalidArgument)

	st, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: st.GetId()}); err != nil {
		t.Fatal(err)
	}
	app := &studentsv1.Application{BudgetCents: 35001, MoveInDate: time.Now().AddDate(0, 0, -2).Format("2006-01-02"), RoomId: "room-12"}
	_, err = e.client.CreateApplication(coord, &studentsv1.CreateApplicationRequest{StudentId: st.GetId(), Application: app})
	svctest.WantCode(t, err, codes.InvalidArgument)
	got := grpcx.FieldViolations(err)
	if !strings.Contains(got["budgetCents"], "35000") || got["moveInDate"] == "" || got["roomId"] == "" {
		t.Fatalf("violations %v", got)
	}
	app = applicationInput()
	app.MoveOutDate = app.GetMoveInDate()
	_, err = e.client.CreateApplication(coord, &studentsv1.CreateApplicationRequest{StudentId: st.GetId(), Application: app})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if grpcx.FieldViolations(err)["moveOutDate"] == "" {
		t.Fatalf("violations %v", grpcx.FieldViolations(err))
	}
	_, err = e.client.ListStudents(coord, &studentsv1.ListStudentsRequest{PageToken: "garbage"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	_, err = e.client.UpdateStudent(coord, &studentsv1.UpdateStudentRequest{Student: &studentsv1.Student{Id: st.GetId()}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"owner"}}})
	svctest.WantCode(t, err, codes.InvalidArgument)
	_, err = e.client.UpdateStudent(coord, &studentsv1.UpdateStudentRequest{Student: &studentsv1.Student{Id: st.GetId(), MaxCommuteKm: 150}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"max_commute_km"}}})
	svctest.WantCode(t, err, codes.InvalidArgument)
	if grpcx.FieldViolations(err)["maxCommuteKm"] == "" {
		t.Fatalf("violations %v", grpcx.FieldViolations(err))
	}
}

func TestConcurrentUpdatesWithSameEtag(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	s, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20))})
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	outcomes := svctest.Concurrently(n, func(i int) error {
		_, err := e.client.UpdateStudent(coord, &studentsv1.UpdateStudentRequest{
			Student:    &studentsv1.Student{Id: s.GetId(), Etag: s.GetEtag(), DisplayName: fmt.Sprintf("Léa %d", i)},
			UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"display_name"}},
		}, grpc.WaitForReady(true))
		return err
	})
	if outcomes[codes.OK] != 1 || outcomes[codes.Aborted] != n-1 {
		t.Fatalf("outcomes %v; want exactly one success, and 409 for the %d others", outcomes, n-1)
	}
	got, err := e.client.GetStudent(coord, &studentsv1.GetStudentRequest{Id: s.GetId()})
	if err != nil || got.GetEtag() == s.GetEtag() {
		t.Fatalf("etag did not move: %v %v", got.GetEtag(), err)
	}
	nextEvents(t, e.js, studentsevents.StudentUpdated.Subject, 1)
}

func TestConcurrentApplicationsOneOpen(t *testing.T) {
	t.Parallel()
	e := start(t)
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	me, _ := e.as(t, auth.RoleStudent, "lyon")
	s, err := e.client.CreateStudent(me, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: s.GetId()}); err != nil {
		t.Fatal(err)
	}
	const n = 8
	outcomes := svctest.Concurrently(n, func(i int) error {
		ctx := me
		if i%2 == 1 {
			ctx = coord
		}
		_, err := e.client.CreateApplication(ctx, &studentsv1.CreateApplicationRequest{StudentId: s.GetId(), Application: applicationInput()}, grpc.WaitForReady(true))
		return err
	})
	if outcomes[codes.OK] != 1 || outcomes[codes.AlreadyExists]+outcomes[codes.Aborted] != n-1 {
		t.Fatalf("outcomes %v; want exactly one open application, and 409 for the %d others", outcomes, n-1)
	}
	list, err := e.client.ListApplications(coord, &studentsv1.ListApplicationsRequest{StudentId: s.GetId()})
	if err != nil || len(list.GetApplications()) != 1 {
		t.Fatalf("applications stored: %v %v", list, err)
	}
}

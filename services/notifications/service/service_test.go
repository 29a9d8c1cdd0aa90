package service_test

import (
	notificationseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/events/v1"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/fieldmaskpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/contact"
	"github.com/cohabit/cohabit/services/notifications/internal/message"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// pair registers a host and a student with their services (the test's contact reader) and
// returns their ids.
func (e *env) pair(host, student contact.Person) (string, string) {
	return e.people.add(host), e.people.add(student)
}

func proposed(hostID, studentID string) *matchingeventsv1.MatchChanged {
	return &matchingeventsv1.MatchChanged{Match: &matchingeventsv1.MatchSummary{
		MatchId: uuid.NewString(), ProgrammeId: programme, RoomId: uuid.NewString(), HostId: hostID, StudentId: studentID,
		ApplicationId: uuid.NewString(), Status: "PROPOSED"}}
}

var (
	jeanne = contact.Person{Name: "Jeanne Martin", Email: "jeanne@example.test", City: "Lyon", AccountID: "acc-jeanne"}
	lea    = contact.Person{Name: "Léa Dubois", Email: "lea@example.test", Phone: "+33 6 11 22 33 44", City: "Lyon", AccountID: "acc-lea"}
)

// A proposal sends the student one email, in French (nobody chose otherwise), over SMTP, that
// says where the room is and that a meeting comes first — and never the host's contact
// details; the host gets hers.
func TestProposalEmailsTheStudentInFrench(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	hostID, studentID := e.pair(jeanne, lea)
	e.publish(t, matchingevents.MatchProposed.Subject, proposed(hostID, studentID))

	waitFor(t, "both emails", func() bool { return len(e.to(t, lea.Email)) == 1 && len(e.to(t, jeanne.Email)) == 1 })
	settle()
	got := e.to(t, lea.Email)
	if len(got) != 1 {
		t.Fatalf("student got %d emails, want 1", len(got))
	}
	m := got[0]
	if m.Subject != "Une proposition de cohabitation pour vous" || m.Language != "fr" {
		t.Errorf("subject %q, language %q", m.Subject, m.Language)
	}
	for _, want := range []string{"Bonjour Léa Dubois", "chez Jeanne Martin à Lyon", "organiser une rencontre", "http://cohabit.test/"} {
		if !strings.Contains(m.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, m.Body)
		}
	}
	// SPEC §7: no contact details of the other party before the contract is active.
	if strings.Contains(m.Body, jeanne.Email) || strings.Contains(e.to(t, jeanne.Email)[0].Body, lea.Phone) {
		t.Errorf("a proposal carries the other party's contact details")
	}
	// The record: one EMAIL sent to each; the student's SMS skipped (no provider by default).
	rows := e.rows(t, studentID)
	var email, sms int
	for _, r := range rows {
		switch r.Channel {
		case notice.Email:
			email++
			if r.Status != notice.Sent || r.SentAt == nil || r.Subject != m.Subject || "<"+r.MessageID+">" != m.MessageID {
				t.Errorf("email row %+v", r)
			}
		case notice.SMS:
			sms++
			if r.Status != notice.Skipped || r.Failure != notice.SkipNoProvider {
				t.Errorf("sms row %+v", r)
			}
		}
	}
	if email != 1 || sms != 1 {
		t.Errorf("rows: %d email, %d sms", email, sms)
	}
}

// The meeting: both parties are told its time in their own language, in Paris time, and
// reminded the day before by the reminders job; the reminder goes once, whatever runs it.
func TestMeetingScheduledAndItsReminder(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	offset := time.Duration(0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return time.Now().Add(offset) }
	e := start(t, options{now: clock})
	student := lea
	student.AccountID = uuid.NewString()
	hostID, studentID := e.pair(jeanne, student)
	if _, err := e.client.UpdateNotificationSettings(e.as(t, auth.RoleStudent, student.AccountID), &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{Language: "en"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"language"}}}); err != nil {
		t.Fatal(err)
	}
	at := time.Now().Add(30 * time.Hour).Truncate(time.Minute)
	m := proposed(hostID, studentID)
	m.Match.Status = "MEETING_SCHEDULED"
	setMeeting(m, at)
	e.publish(t, matchingevents.MatchMeetingScheduled.Subject, m)
	frenchTime, englishTime := message.Moment("fr", at), message.Moment("en", at)
	waitFor(t, "the meeting emails", func() bool { return len(e.to(t, lea.Email)) == 1 && len(e.to(t, jeanne.Email)) == 1 })
	settle()
	if len(e.to(t, lea.Email)) != 1 {
		t.Fatal("reminded before the day before")
	}
	// Seven hours later the meeting is 23 hours away: its reminder is due.
	mu.Lock()
	offset = 7 * time.Hour
	mu.Unlock()
	waitFor(t, "the reminders", func() bool { return len(e.to(t, lea.Email)) == 2 && len(e.to(t, jeanne.Email)) == 2 })
	host, stud := e.to(t, jeanne.Email), e.to(t, lea.Email)
	if host[0].Subject != "Votre rencontre le "+frenchTime || !strings.Contains(host[0].Body, "avec Léa Dubois est prévue le "+frenchTime) {
		t.Errorf("host's meeting email %+v", host[0])
	}
	if stud[0].Subject != "Your meeting on "+englishTime {
		t.Errorf("student's meeting email %+v", stud[0])
	}
	if host[1].Subject != "Rappel : votre rencontre demain, le "+frenchTime || stud[1].Subject != "Reminder: your meeting tomorrow, "+englishTime {
		t.Errorf("reminders %q, %q", host[1].Subject, stud[1].Subject)
	}
	// Several replicas, or a second run, find nothing more to remind.
	for range 3 {
		if err := e.app.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	settle()
	if len(e.to(t, lea.Email)) != 2 || len(e.to(t, jeanne.Email)) != 2 {
		t.Errorf("a reminder went twice")
	}
}

// A student who chose English is written to in English.
func TestStudentWhoChoseEnglishGetsEnglish(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	student := lea
	student.AccountID = uuid.NewString()
	hostID, studentID := e.pair(jeanne, student)
	ctx := e.as(t, auth.RoleStudent, student.AccountID)
	s, err := e.client.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{Language: "en"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"language"}}})
	if err != nil {
		t.Fatal(err)
	}
	if s.GetLanguage() != "en" || !s.GetEmail() || !s.GetSms() {
		t.Fatalf("settings %v: the other fields must keep their defaults", s)
	}
	e.publish(t, matchingevents.MatchProposed.Subject, proposed(hostID, studentID))
	waitFor(t, "the emails", func() bool { return len(e.to(t, lea.Email)) == 1 && len(e.to(t, jeanne.Email)) == 1 })
	m := e.to(t, lea.Email)[0]
	if m.Subject != "A homeshare is proposed to you" || m.Language != "en" || !strings.Contains(m.Body, "Hello Léa Dubois") {
		t.Errorf("student's email not in English: %+v", m)
	}
	if h := e.to(t, jeanne.Email)[0]; h.Language != "fr" {
		t.Errorf("the host did not choose English: %+v", h)
	}
}

// A person who turned email off gets none; the record says why.
func TestEmailTurnedOffSendsNone(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	student := lea
	student.AccountID = uuid.NewString()
	hostID, studentID := e.pair(jeanne, student)
	ctx := e.as(t, auth.RoleStudent, student.AccountID)
	if _, err := e.client.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{Email: false}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"email"}}}); err != nil {
		t.Fatal(err)
	}
	e.publish(t, matchingevents.MatchProposed.Subject, proposed(hostID, studentID))
	waitFor(t, "the host's email", func() bool { return len(e.to(t, jeanne.Email)) == 1 })
	settle()
	if n := len(e.to(t, lea.Email)); n != 0 {
		t.Fatalf("the student turned email off and got %d", n)
	}
	// Her own list says it was skipped, and why.
	list, err := e.client.ListNotifications(ctx, &notificationsv1.ListNotificationsRequest{
		Channel: notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_EMAIL})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetNotifications()) != 0 {
		t.Fatalf("the person's account is not linked to her record yet, yet she sees %d", len(list.GetNotifications()))
	}
	rows := e.rows(t, studentID)
	found := false
	for _, r := range rows {
		if r.Channel == notice.Email {
			found = r.Status == notice.Skipped && r.Failure == notice.SkipEmailOff
		}
	}
	if !found {
		t.Errorf("no SKIPPED email row: %+v", rows)
	}
}

// An assisted host is not emailed: a line of the coordinator's call list says what to tell
// her, read through the list filtered on the CALL channel.
func TestAssistedHostGetsACallListLine(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	host := jeanne
	host.Assisted, host.AccountID, host.Phone = true, "", "+33 4 00 00 00 00"
	hostID, studentID := e.pair(host, lea)
	e.publish(t, matchingevents.MatchProposed.Subject, proposed(hostID, studentID))
	waitFor(t, "the student's email", func() bool { return len(e.to(t, lea.Email)) == 1 })
	coord := e.as(t, auth.RoleCoordinator, uuid.NewString())
	var calls []*notificationsv1.Notification
	waitFor(t, "the call-list line", func() bool {
		list, err := e.client.ListNotifications(coord, &notificationsv1.ListNotificationsRequest{
			Channel: notificationsv1.NotificationChannel_NOTIFICATION_CHANNEL_CALL,
			Status:  notificationsv1.NotificationStatus_NOTIFICATION_STATUS_PENDING})
		if err != nil {
			t.Fatal(err)
		}
		calls = list.GetNotifications()
		return len(calls) == 1
	})
	settle()
	c := calls[0]
	if c.GetRecipientId() != hostID || c.GetTopic() != "MATCH_PROPOSED" || !strings.Contains(c.GetMessage(), "Une cohabitation lui est proposée") {
		t.Errorf("call line %v", c)
	}
	if n := len(e.to(t, host.Email)); n != 0 {
		t.Errorf("the assisted host got %d emails", n)
	}
	for _, r := range e.rows(t, hostID) {
		if r.Channel != notice.Call {
			t.Errorf("assisted host has a %s notification", r.Channel)
		}
	}
	// The line is announced, for the desk's agenda: ids and the topic, no words.
	msg := svctest.NextEvents(t, e.js, notificationsevents.Stream.Name, notificationsevents.CallRequested.Subject, 1)[0]
	env, err := event.Decode(msg.Data())
	if err != nil {
		t.Fatal(err)
	}
	ev, err := event.Payload(env, &notificationseventsv1.CallRequested{})
	if err != nil || ev.GetNotificationId() != c.GetId() || ev.GetRecipientId() != hostID || ev.GetRecipientKind() != "HOST" || ev.GetTopic() != "MATCH_PROPOSED" {
		t.Errorf("call.requested: %v %v", ev, err)
	}
}

// The same event delivered twice (JetStream redelivers; a publisher retries without its
// message id) sends once.
func TestSameEventTwiceSendsOnce(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	hostID, studentID := e.pair(jeanne, lea)
	env, err := event.New(matchingevents.MatchProposed.Subject, programme, time.Now(), proposed(hostID, studentID))
	if err != nil {
		t.Fatal(err)
	}
	svctest.PublishEnvelope(t, e.js, env)
	svctest.PublishEnvelope(t, e.js, env)
	waitFor(t, "the emails", func() bool { return len(e.to(t, lea.Email)) >= 1 && len(e.to(t, jeanne.Email)) >= 1 })
	settle()
	if n, m := len(e.to(t, lea.Email)), len(e.to(t, jeanne.Email)); n != 1 || m != 1 {
		t.Fatalf("student got %d, host %d; want one each", n, m)
	}
}

// With the SMTP server down, the email is recorded FAILED with why, retried with backoff,
// and SENT once the server is back: one message in the end.
func TestSMTPOutageIsRetried(t *testing.T) {
	t.Parallel()
	e := start(t, options{noSink: true})
	student := lea
	student.Phone = ""
	hostID, studentID := e.pair(jeanne, student)
	e.publish(t, matchingevents.MatchProposed.Subject, proposed(hostID, studentID))
	var failed bool
	waitFor(t, "a failed attempt", func() bool {
		for _, r := range e.rows(t, studentID) {
			if r.Status == notice.Failed && r.Failure != "" && r.NextAttemptAt != nil {
				failed = true
			}
		}
		return failed
	})
	list, err := e.client.ListNotifications(e.as(t, auth.RoleCoordinator, uuid.NewString()), &notificationsv1.ListNotificationsRequest{
		RecipientId: studentID, Status: notificationsv1.NotificationStatus_NOTIFICATION_STATUS_FAILED})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetNotifications()) != 1 || list.GetNotifications()[0].GetFailure() == "" || list.GetNotifications()[0].GetRetryTime() == nil {
		t.Fatalf("the list shows no failure with its retry: %v", list)
	}
	e.restartSink(t)
	waitFor(t, "the email after the outage", func() bool { return len(e.to(t, lea.Email)) == 1 })
	var r = e.rows(t, studentID)[0]
	waitFor(t, "the row marked sent", func() bool { r = e.rows(t, studentID)[0]; return r.Status == notice.Sent })
	if r.Attempts < 2 || r.Failure != "" {
		t.Errorf("row after the outage: attempts %d, failure %q", r.Attempts, r.Failure)
	}
	settle()
	if n := len(e.to(t, lea.Email)); n != 1 {
		t.Errorf("%d emails after the outage, want 1", n)
	}
}

// Coordinators are told at once of a high-severity incident (not of a low one), of a concern
// recorded at a check-in and of a sign-up to verify, at their association's address.
func TestCoordinatorsAreTold(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	e.publish(t, identityevents.ProgrammeCreated.Subject, &identityeventsv1.ProgrammeCreated{Programme: &identityv1.Programme{
		Id: programme, Name: "Toit partagé", Email: "equipe@toit.test"}})
	time.Sleep(300 * time.Millisecond) // identity's stream is not ordered with the others
	e.publish(t, contractsevents.IncidentReported.Subject, &contractseventsv1.IncidentChanged{IncidentId: uuid.NewString(),
		ContractId: uuid.NewString(), ProgrammeId: programme, Status: "OPEN", Severity: "SEVERITY_LOW"})
	e.publish(t, contractsevents.IncidentReported.Subject, &contractseventsv1.IncidentChanged{IncidentId: uuid.NewString(),
		ContractId: uuid.NewString(), ProgrammeId: programme, Status: "OPEN", Severity: "SEVERITY_HIGH"})
	e.publish(t, contractsevents.CheckinCompleted.Subject, &contractseventsv1.CheckinChanged{CheckinId: uuid.NewString(),
		ContractId: uuid.NewString(), ProgrammeId: programme, Status: "DONE", DueDate: "2027-02-01", Concern: true})
	studentID := e.people.add(lea)
	e.publish(t, studentsevents.StudentRegistered.Subject, studentRegistered(studentID, lea.AccountID))
	waitFor(t, "three emails to the coordinators", func() bool { return len(e.to(t, "equipe@toit.test")) == 3 })
	settle()
	subjects := map[string]bool{}
	for _, m := range e.to(t, "equipe@toit.test") {
		subjects[m.Subject] = true
	}
	for _, want := range []string{"Incident signalé, gravité élevée", "Une inquiétude notée lors d'un suivi", "Une inscription à vérifier"} {
		if !subjects[want] {
			t.Errorf("no %q in %v", want, subjects)
		}
	}
	if n := len(e.to(t, "equipe@toit.test")); n != 3 {
		t.Errorf("%d emails, want 3 (no low-severity incident)", n)
	}
}

// The settings: defaults until changed, bad input refused with its field, every role but the
// service's.
func TestSettings(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	ctx := e.as(t, auth.RoleHost, uuid.NewString())
	s, err := e.client.GetNotificationSettings(ctx, &notificationsv1.GetNotificationSettingsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if !s.GetEmail() || !s.GetSms() || s.GetLanguage() != "fr" {
		t.Errorf("defaults %v", s)
	}
	_, err = e.client.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{Language: "de"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"language"}}})
	st := svctest.WantCode(t, err, codes.InvalidArgument)
	if !strings.Contains(st.Message(), "language") {
		t.Errorf("violation %v", st)
	}
	_, err = e.client.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"phone"}}})
	svctest.WantCode(t, err, codes.InvalidArgument)
	_, err = e.client.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{})
	svctest.WantCode(t, err, codes.InvalidArgument)
	s, err = e.client.UpdateNotificationSettings(ctx, &notificationsv1.UpdateNotificationSettingsRequest{
		Settings: &notificationsv1.NotificationSettings{Sms: false, Language: "en"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"sms", "language"}}})
	if err != nil || !s.GetEmail() || s.GetSms() || s.GetLanguage() != "en" {
		t.Fatalf("update: %v %v", s, err)
	}
	if got, _ := e.client.GetNotificationSettings(ctx, &notificationsv1.GetNotificationSettingsRequest{}); got.GetLanguage() != "en" || got.GetUpdateTime() == nil {
		t.Errorf("read back %v", got)
	}
	for _, role := range []auth.Role{auth.RoleAdmin, auth.RoleCoordinator, auth.RoleStudent} {
		if _, err := e.client.GetNotificationSettings(e.as(t, role, uuid.NewString()), &notificationsv1.GetNotificationSettingsRequest{}); err != nil {
			t.Errorf("%s: %v", role, err)
		}
	}
}

// The list: a coordinator sees her programme's only; a person only her own (another's id
// answers an empty list, not whether it exists); an admin, nobody's; a bad page token is
// InvalidArgument.
func TestListAuthorization(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	hostID, studentID := e.pair(jeanne, lea)
	e.publish(t, studentsevents.StudentRegistered.Subject, studentRegistered(studentID, lea.AccountID))
	e.publish(t, matchingevents.MatchProposed.Subject, proposed(hostID, studentID))
	waitFor(t, "the emails", func() bool { return len(e.to(t, lea.Email)) == 1 && len(e.to(t, jeanne.Email)) == 1 })

	// Her account is linked to her record by students' event, on a stream of its own.
	var own *notificationsv1.ListNotificationsResponse
	waitFor(t, "her two notifications (email sent, SMS skipped)", func() bool {
		var err error
		own, err = e.client.ListNotifications(e.as(t, auth.RoleStudent, lea.AccountID), &notificationsv1.ListNotificationsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		return len(own.GetNotifications()) == 2
	})
	for _, n := range own.GetNotifications() {
		if n.GetRecipientId() != studentID {
			t.Errorf("the student sees another's: %v", n)
		}
	}
	other, err := e.client.ListNotifications(e.as(t, auth.RoleStudent, lea.AccountID), &notificationsv1.ListNotificationsRequest{RecipientId: hostID})
	if err != nil || len(other.GetNotifications()) != 0 {
		t.Errorf("the student reads the host's: %v %v", other, err)
	}
	otherProg, err := e.client.ListNotifications(metadataCtx(issue(t, e, auth.Principal{AccountID: "c2", Role: auth.RoleCoordinator, ProgrammeID: "p2"})),
		&notificationsv1.ListNotificationsRequest{})
	if err != nil || len(otherProg.GetNotifications()) != 0 {
		t.Errorf("another programme's coordinator sees %v %v", otherProg, err)
	}
	page, err := e.client.ListNotifications(e.as(t, auth.RoleCoordinator, "c1"), &notificationsv1.ListNotificationsRequest{PageSize: 1})
	if err != nil || len(page.GetNotifications()) != 1 || page.GetNextPageToken() == "" {
		t.Fatalf("first page %v %v", page, err)
	}
	_, err = e.client.ListNotifications(e.as(t, auth.RoleAdmin, "a1"), &notificationsv1.ListNotificationsRequest{})
	svctest.WantCode(t, err, codes.PermissionDenied)
	_, err = e.client.ListNotifications(e.as(t, auth.RoleCoordinator, "c1"), &notificationsv1.ListNotificationsRequest{PageToken: "nope"})
	svctest.WantCode(t, err, codes.InvalidArgument)
	_, err = e.client.ListNotifications(t.Context(), &notificationsv1.ListNotificationsRequest{})
	svctest.WantCode(t, err, codes.Unauthenticated)
}

func issue(t *testing.T, e *env, p auth.Principal) string {
	t.Helper()
	tok, _, err := e.issuer.Issue(p)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// An invitation (identity's event carries neither code nor address) is emailed with its
// sign-up link, the code read from identity when sending; once accepted, the account owns
// the record and lists her notifications.
func TestInvitationIsEmailedWithItsLink(t *testing.T) {
	t.Parallel()
	e := start(t, options{})
	student := lea
	student.AccountID = ""
	studentID := e.people.add(student)
	invitation := uuid.NewString()
	e.publish(t, identityevents.InvitationCreated.Subject, &identityeventsv1.InvitationCreated{InvitationId: invitation,
		RecordId: studentID, RecordKind: identityv1.RecordKind_RECORD_KIND_STUDENT, ProgrammeId: programme,
		ExpireTime: timestamppb.New(time.Date(2027, 1, 20, 12, 0, 0, 0, time.UTC))})
	waitFor(t, "the invitation", func() bool { return len(e.to(t, lea.Email)) == 1 })
	m := e.to(t, lea.Email)[0]
	if m.Subject != "Votre accès à Cohabit" || !strings.Contains(m.Body, "http://cohabit.test/signup?code=code-"+invitation[:8]) ||
		!strings.Contains(m.Body, "mercredi 20 janvier 2027") {
		t.Errorf("invitation email %+v", m)
	}
	for _, r := range e.rows(t, studentID) {
		if strings.Contains(r.Subject+r.Message, "code-") {
			t.Errorf("the code is recorded: %+v", r)
		}
	}
	account := uuid.NewString()
	e.publish(t, identityevents.InvitationAccepted.Subject, &identityeventsv1.InvitationAccepted{InvitationId: invitation,
		RecordId: studentID, RecordKind: identityv1.RecordKind_RECORD_KIND_STUDENT, ProgrammeId: programme, AccountId: account})
	waitFor(t, "her list", func() bool {
		list, err := e.client.ListNotifications(e.as(t, auth.RoleStudent, account), &notificationsv1.ListNotificationsRequest{})
		return err == nil && len(list.GetNotifications()) >= 1
	})
}

// A programme that configured an SMS provider sends the text to a person with a phone (the
// dev provider writes it to a folder); the others' SMS stay SKIPPED.
func TestProgrammeSMSProvider(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	e := start(t, options{sms: dir})
	hostID, studentID := e.pair(jeanne, lea)
	e.publish(t, matchingevents.MatchProposed.Subject, proposed(hostID, studentID))
	waitFor(t, "the student's SMS", func() bool {
		for _, r := range e.rows(t, studentID) {
			if r.Channel == notice.SMS && r.Status == notice.Sent {
				return true
			}
		}
		return false
	})
	files, err := os.ReadDir(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("sms files %v %v", files, err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, files[0].Name()))
	if !strings.Contains(string(b), lea.Phone) || !strings.Contains(string(b), "Une proposition de cohabitation pour vous") {
		t.Errorf("sms %s", b)
	}
}

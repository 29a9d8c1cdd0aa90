package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/fieldmaskpb"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	identityeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/events/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

func TestInvitationAcceptedMakesHerTheOwner(t *testing.T) {
	t.Parallel()
	e := start(t)
	ctx := context.Background()
	if err := natsx.EnsureStream(ctx, e.js, natsx.Stream{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	s, err := e.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20))})
	if err != nil {
		t.Fatal(err)
	}
	if s.GetOwnerAccountId() != "" {
		t.Fatalf("registered by the coordinator with an owner: %v", s)
	}

	// She signs up on her own with the same email: no second record; she is told to use the
	// invitation. Another programme is not concerned.
	self, _ := e.as(t, auth.RoleStudent, "lyon")
	mine := studentInput(yearsAgo(20))
	mine.Email = " LEA@example.org"
	_, err = e.client.CreateStudent(self, &studentsv1.CreateStudentRequest{Student: mine})
	if st := svctest.WantCode(t, err, codes.FailedPrecondition); !strings.Contains(st.Message(), "invit") {
		t.Fatalf("duplicate: %v", st)
	}
	elsewhere, _ := e.as(t, auth.RoleStudent, "grenoble")
	if _, err := e.client.CreateStudent(elsewhere, &studentsv1.CreateStudentRequest{Student: mine}); err != nil {
		t.Fatalf("another programme: %v", err)
	}

	accountID := uuid.NewString()
	tok, _, err := e.issuer.Issue(auth.Principal{AccountID: accountID, Role: auth.RoleStudent, ProgrammeID: "lyon"})
	if err != nil {
		t.Fatal(err)
	}
	her := metadata.AppendToOutgoingContext(ctx, "authorization", "Bearer "+tok)
	_, err = e.client.GetStudent(her, &studentsv1.GetStudentRequest{Id: s.GetId()})
	svctest.WantCode(t, err, codes.NotFound)

	accepted := svctest.Publish(t, e.js, identityevents.InvitationAccepted.Subject, "lyon", &identityeventsv1.InvitationAccepted{
		InvitationId: uuid.NewString(), RecordId: s.GetId(), RecordKind: identityv1.RecordKind_RECORD_KIND_STUDENT, ProgrammeId: "lyon", AccountId: accountID,
	})
	// A host's invitation is not the students service's.
	svctest.Publish(t, e.js, identityevents.InvitationAccepted.Subject, "lyon", &identityeventsv1.InvitationAccepted{
		InvitationId: uuid.NewString(), RecordId: uuid.NewString(), RecordKind: identityv1.RecordKind_RECORD_KIND_HOST, ProgrammeId: "lyon", AccountId: uuid.NewString(),
	})

	var got *studentsv1.Student
	deadline := time.Now().Add(20 * time.Second)
	for {
		got, err = e.client.GetStudent(her, &studentsv1.GetStudentRequest{Id: s.GetId()})
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("she never came to own her record: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got.GetOwnerAccountId() != accountID {
		t.Fatalf("claimed student %v", got)
	}
	if _, err := e.client.UpdateStudent(her, &studentsv1.UpdateStudentRequest{
		Student: &studentsv1.Student{Id: s.GetId(), Phone: "+33 6 00 00 00 01"}, UpdateMask: &fieldmaskpb.FieldMask{Paths: []string{"phone"}},
	}); err != nil {
		t.Fatalf("her own change: %v", err)
	}
	msgs := svctest.NextEvents(t, e.js, studentsevents.Stream.Name, studentsevents.StudentUpdated.Subject, 1)
	env, err := event.Decode(msgs[0].Data())
	if err != nil {
		t.Fatal(err)
	}
	upd, err := event.Payload(env, &studentseventsv1.StudentUpdated{})
	if err != nil || upd.GetStudent().GetOwnerAccountId() != accountID {
		t.Fatalf("student.updated %v %v", upd, err)
	}

	svctest.PublishEnvelope(t, e.js, accepted)
	time.Sleep(300 * time.Millisecond)
	again, err := e.client.GetStudent(her, &studentsv1.GetStudentRequest{Id: s.GetId()})
	if err != nil || again.GetOwnerAccountId() != accountID {
		t.Fatalf("after redelivery %v %v", again, err)
	}
}

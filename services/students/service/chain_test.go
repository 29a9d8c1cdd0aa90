package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	gproto "google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// chain is a students service with the MATCHING and CONTRACTS streams, which the matching and
// contracts services would declare, and a verified student with a submitted application.
type chain struct {
	*env
	coord   context.Context
	student *studentsv1.Student
	app     *studentsv1.Application
	roomID  string
}

func startChain(t *testing.T) *chain {
	t.Helper()
	e := start(t)
	for _, s := range []natsx.Stream{
		{Name: matchingevents.Stream.Name, Subjects: matchingevents.Stream.Subjects()},
		{Name: contractsevents.Stream.Name, Subjects: contractsevents.Stream.Subjects()},
	} {
		if err := natsx.EnsureStream(context.Background(), e.js, s); err != nil {
			t.Fatal(err)
		}
	}
	coord, _ := e.as(t, auth.RoleCoordinator, "lyon")
	c := &chain{env: e, coord: coord, roomID: uuid.NewString()}
	s, err := c.client.CreateStudent(coord, &studentsv1.CreateStudentRequest{Student: studentInput(yearsAgo(20))})
	if err != nil {
		t.Fatal(err)
	}
	if c.student, err = c.client.VerifyStudent(coord, &studentsv1.VerifyStudentRequest{Id: s.GetId()}); err != nil {
		t.Fatal(err)
	}
	if c.app, err = c.client.CreateApplication(coord, &studentsv1.CreateApplicationRequest{StudentId: s.GetId(), Application: applicationInput()}); err != nil {
		t.Fatal(err)
	}
	return c
}

// publish sends payload as an event of subject with Nats-Msg-Id = the event id, as the owner's
// relay would, and returns the envelope and its stream sequence.
func (c *chain) publish(t *testing.T, subject string, payload gproto.Message) (*eventsv1.Envelope, uint64) {
	t.Helper()
	env, err := event.New(subject, "lyon", time.Now(), payload)
	if err != nil {
		t.Fatal(err)
	}
	return env, c.redeliver(t, env, env.GetId())
}

// redeliver publishes env again under msgID: another id than the first one's gets past
// JetStream's deduplication, as a redelivery after the window would.
func (c *chain) redeliver(t *testing.T, env *eventsv1.Envelope, msgID string) uint64 {
	t.Helper()
	data, err := gproto.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := c.js.Publish(context.Background(), env.GetType(), data, jetstream.WithMsgID(msgID))
	if err != nil {
		t.Fatal(err)
	}
	return ack.Sequence
}

func (c *chain) summary(matchID, status string) *matchingeventsv1.MatchSummary {
	return &matchingeventsv1.MatchSummary{
		MatchId: matchID, ProgrammeId: "lyon", RoomId: c.roomID, HostId: uuid.NewString(),
		StudentId: c.student.GetId(), ApplicationId: c.app.GetId(), Status: status,
	}
}

func (c *chain) approved(matchID string) *matchingeventsv1.MatchApproved {
	return &matchingeventsv1.MatchApproved{Match: c.summary(matchID, "APPROVED")}
}

func (c *chain) contract(matchID, status string) *contractseventsv1.ContractChanged {
	return &contractseventsv1.ContractChanged{Contract: &contractseventsv1.ContractSummary{
		ContractId: uuid.NewString(), ProgrammeId: "lyon", MatchId: matchID, RoomId: c.roomID, HostId: uuid.NewString(),
		StudentId: c.student.GetId(), ApplicationId: c.app.GetId(), Status: status,
	}}
}

// wait polls until check passes.
func wait(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(30 * time.Millisecond)
	}
}

// waitFor waits until the application and the student are in these statuses, and returns them.
func (c *chain) waitFor(t *testing.T, as studentsv1.ApplicationStatus, ss studentsv1.StudentStatus) (*studentsv1.Application, *studentsv1.Student) {
	t.Helper()
	var a *studentsv1.Application
	var s *studentsv1.Student
	wait(t, fmt.Sprintf("application %v, student %v", as, ss), func() error {
		var err error
		if a, err = c.client.GetApplication(c.coord, &studentsv1.GetApplicationRequest{Id: c.app.GetId()}); err != nil {
			return err
		}
		if s, err = c.client.GetStudent(c.coord, &studentsv1.GetStudentRequest{Id: c.student.GetId()}); err != nil {
			return err
		}
		if a.GetStatus() != as || s.GetStatus() != ss {
			return fmt.Errorf("application %v, student %v", a.GetStatus(), s.GetStatus())
		}
		return nil
	})
	return a, s
}

// handled waits until durable has acknowledged (or terminated) every message up to seq.
func (c *chain) handled(t *testing.T, stream, durable string, seq uint64) {
	t.Helper()
	wait(t, durable+" handles its stream", func() error {
		cons, err := c.js.Consumer(context.Background(), stream, durable)
		if err != nil {
			return err
		}
		info, err := cons.Info(context.Background())
		if err != nil {
			return err
		}
		if info.AckFloor.Stream < seq || info.NumAckPending != 0 {
			return fmt.Errorf("ack floor %d, want %d", info.AckFloor.Stream, seq)
		}
		return nil
	})
}

// countEvents counts the events of subject on the STUDENTS stream.
func (c *chain) countEvents(t *testing.T, subject string) int {
	t.Helper()
	st, err := c.js.Stream(context.Background(), studentsevents.Stream.Name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background(), jetstream.WithSubjectFilter(subject))
	if err != nil {
		t.Fatal(err)
	}
	return int(info.State.Subjects[subject])
}

func TestChainMatchedPlacedThenFreeToApplyAgain(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()

	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	matched := decode(t, nextEvents(t, c.js, studentsevents.ApplicationMatched.Subject, 1)[0], &studentseventsv1.ApplicationStatusChanged{})
	if matched.GetApplication().GetApplicationId() != c.app.GetId() || matched.GetApplication().GetStatus() != "MATCHED" {
		t.Fatalf("application.matched: %v", matched)
	}
	// A matched application is still open: no second one.
	if _, err := c.client.CreateApplication(c.coord, &studentsv1.CreateApplicationRequest{StudentId: c.student.GetId(), Application: applicationInput()}); err == nil {
		t.Fatal("a second application while the first is matched")
	}

	c.publish(t, contractsevents.ContractActivated.Subject, c.contract(match, "ACTIVE"))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_PLACED, studentsv1.StudentStatus_STUDENT_STATUS_PLACED)
	if p := decode(t, nextEvents(t, c.js, studentsevents.ApplicationPlaced.Subject, 1)[0], &studentseventsv1.ApplicationStatusChanged{}); p.GetApplication().GetStatus() != "PLACED" {
		t.Fatalf("application.placed: %v", p)
	}
	if p := decode(t, nextEvents(t, c.js, studentsevents.StudentPlaced.Subject, 1)[0], &studentseventsv1.StudentStatusChanged{}); p.GetStudent().GetStatus() != "PLACED" {
		t.Fatalf("student.placed: %v", p)
	}

	c.publish(t, contractsevents.ContractEnded.Subject, c.contract(match, "ENDED"))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_PLACED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	if p := decode(t, nextEvents(t, c.js, studentsevents.StudentReleased.Subject, 1)[0], &studentseventsv1.StudentStatusChanged{}); p.GetStudent().GetStatus() != "VERIFIED" {
		t.Fatalf("student.released: %v", p)
	}
	// Free to apply again, to return to the pool.
	again, err := c.client.CreateApplication(c.coord, &studentsv1.CreateApplicationRequest{StudentId: c.student.GetId(), Application: applicationInput()})
	if err != nil || again.GetStatus() != studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED {
		t.Fatalf("apply after the stay: %v %v", again, err)
	}
}

func TestChainContractCancelledBeforeTheStay(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)

	c.publish(t, contractsevents.ContractCancelled.Subject, c.contract(match, "CANCELLED"))
	a, _ := c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	if p := decode(t, nextEvents(t, c.js, studentsevents.ApplicationResubmitted.Subject, 1)[0], &studentseventsv1.ApplicationStatusChanged{}); p.GetApplication().GetStatus() != "SUBMITTED" {
		t.Fatalf("application.resubmitted: %v", p)
	}

	// Matching then cancels the approved match: the same fact told again changes nothing.
	_, seq := c.publish(t, matchingevents.MatchCancelled.Subject, &matchingeventsv1.MatchChanged{Match: c.summary(match, "CANCELLED"), WasApproved: true})
	c.handled(t, matchingevents.Stream.Name, "students-matching", seq)
	again, _ := c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	if again.GetEtag() != a.GetEtag() {
		t.Fatalf("the second cancellation changed the application: %s then %s", a.GetEtag(), again.GetEtag())
	}
	if n := c.countEvents(t, studentsevents.ApplicationResubmitted.Subject); n != 1 {
		t.Fatalf("%d application.resubmitted events, want 1", n)
	}

	// Back in the pool, the application is matched by the next approved match.
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
}

// TestChainActiveContractCancelledBeforeItsStart: the pair withdraws after both signed,
// before moving in: from PLACED, the student is VERIFIED and the application SUBMITTED again
// (back in the pool); matching's cancellation of the match that follows changes nothing.
func TestChainActiveContractCancelledBeforeItsStart(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	c.publish(t, contractsevents.ContractActivated.Subject, c.contract(match, "ACTIVE"))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_PLACED, studentsv1.StudentStatus_STUDENT_STATUS_PLACED)

	c.publish(t, contractsevents.ContractCancelled.Subject, c.contract(match, "CANCELLED"))
	a, _ := c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	if p := decode(t, nextEvents(t, c.js, studentsevents.ApplicationResubmitted.Subject, 1)[0], &studentseventsv1.ApplicationStatusChanged{}); p.GetApplication().GetStatus() != "SUBMITTED" {
		t.Fatalf("application.resubmitted: %v", p)
	}
	if p := decode(t, nextEvents(t, c.js, studentsevents.StudentReleased.Subject, 1)[0], &studentseventsv1.StudentStatusChanged{}); p.GetStudent().GetStatus() != "VERIFIED" {
		t.Fatalf("student.released: %v", p)
	}
	_, seq := c.publish(t, matchingevents.MatchCancelled.Subject, &matchingeventsv1.MatchChanged{Match: c.summary(match, "CANCELLED"), WasApproved: true})
	c.handled(t, matchingevents.Stream.Name, "students-matching", seq)
	if again, _ := c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED); again.GetEtag() != a.GetEtag() {
		t.Fatalf("the match's cancellation changed the application again: %s then %s", a.GetEtag(), again.GetEtag())
	}
	// Back in the pool: the next approved match takes the same application.
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
}

func TestChainEventDeliveredTwiceAppliesOnce(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	env, _ := c.publish(t, matchingevents.MatchApproved.Subject, c.approved(uuid.NewString()))
	a, _ := c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	seq := c.redeliver(t, env, uuid.NewString())
	c.handled(t, matchingevents.Stream.Name, "students-matching", seq)
	again, _ := c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_MATCHED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	if again.GetEtag() != a.GetEtag() || a.GetEtag() == c.app.GetEtag() {
		t.Fatalf("etags %s, %s from %s: the version must move once", a.GetEtag(), again.GetEtag(), c.app.GetEtag())
	}
	if n := c.countEvents(t, studentsevents.ApplicationMatched.Subject); n != 1 {
		t.Fatalf("%d application.matched events, want 1", n)
	}
}

// TestChainOutOfOrder: the contract's activation arrives before the match's approval (two
// streams): it is retried until the approval has been applied, never dropped.
func TestChainOutOfOrder(t *testing.T) {
	t.Parallel()
	c := startChain(t)
	match := uuid.NewString()
	c.publish(t, contractsevents.ContractActivated.Subject, c.contract(match, "ACTIVE"))
	wait(t, "the activation is delivered", func() error {
		cons, err := c.js.Consumer(context.Background(), contractsevents.Stream.Name, "students-contracts")
		if err != nil {
			return err
		}
		info, err := cons.Info(context.Background())
		if err != nil || info.Delivered.Consumer < 1 {
			return fmt.Errorf("not delivered yet (%v)", err)
		}
		return nil
	})
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_SUBMITTED, studentsv1.StudentStatus_STUDENT_STATUS_VERIFIED)
	c.publish(t, matchingevents.MatchApproved.Subject, c.approved(match))
	c.waitFor(t, studentsv1.ApplicationStatus_APPLICATION_STATUS_PLACED, studentsv1.StudentStatus_STUDENT_STATUS_PLACED)
}

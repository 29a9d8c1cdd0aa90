package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/codes"
	gproto "google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	contractseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/contracts/events/v1"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// stay is one room and one student taken to an approved match, with what hosts and students
// publish once the approval reaches them (room RESERVED, application MATCHED).
type stay struct {
	host    *hostseventsv1.HostProfile
	room    *hostseventsv1.RoomProfile
	student *studentseventsv1.StudentProfile
	app     *studentseventsv1.ApplicationProfile
	match   *matchingv1.Match
}

func (e *env) approvedStay(t *testing.T) *stay {
	t.Helper()
	s := &stay{host: hostProfile("")}
	s.room = roomProfile(s.host)
	e.publishRoom(t, s.host, s.room)
	s.student = studentProfile("")
	s.app = applicationProfile(s.student)
	e.submit(t, s.student, s.app)
	e.waitCandidates(t, s.room.GetRoomId(), s.student.GetStudentId())

	m, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: s.room.GetRoomId(), StudentId: s.student.GetStudentId()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.ScheduleMeeting(e.coord, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), MeetingAt: timestamppb.New(time.Now().Add(24 * time.Hour))}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []matchingv1.Party{matchingv1.Party_PARTY_HOST, matchingv1.Party_PARTY_STUDENT} {
		if _, err := e.client.AcceptMatch(e.coord, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Party: p}); err != nil {
			t.Fatal(err)
		}
	}
	if s.match, err = e.client.ApproveMatch(e.coord, &matchingv1.ApproveMatchRequest{Id: m.GetId()}); err != nil {
		t.Fatal(err)
	}
	// What hosts and students publish once they have applied the approval.
	s.roomStatus(t, e, hostsevents.RoomReserved.Subject, "RESERVED")
	s.applicationStatus(t, e, s.app, studentsevents.ApplicationMatched.Subject, "MATCHED")
	return s
}

func (s *stay) roomStatus(t *testing.T, e *env, subject, status string) {
	t.Helper()
	r := clone(s.room)
	r.Status = status
	svctest.Publish(t, e.js, subject, lyon, &hostseventsv1.RoomUpdated{Room: r})
}

func (s *stay) applicationStatus(t *testing.T, e *env, a *studentseventsv1.ApplicationProfile, subject, status string) {
	t.Helper()
	a = clone(a)
	a.Status = status
	svctest.Publish(t, e.js, subject, lyon, &studentseventsv1.ApplicationStatusChanged{Application: a})
}

// contract publishes an event of the match's contract with Nats-Msg-Id = its id, as the
// contracts service's relay would.
func (s *stay) contract(t *testing.T, e *env, subject, status string) *eventsv1.Envelope {
	t.Helper()
	env, err := event.New(subject, lyon, time.Now(), &contractseventsv1.ContractChanged{Contract: &contractseventsv1.ContractSummary{
		ContractId: uuid.NewString(), ProgrammeId: lyon, MatchId: s.match.GetId(), RoomId: s.room.GetRoomId(), HostId: s.host.GetHostId(),
		StudentId: s.student.GetStudentId(), ApplicationId: s.app.GetApplicationId(), Status: status,
	}})
	if err != nil {
		t.Fatal(err)
	}
	publishWithID(t, e.js, env, env.GetId())
	return env
}

func publishWithID(t *testing.T, js jetstream.JetStream, env *eventsv1.Envelope, msgID string) uint64 {
	t.Helper()
	data, err := gproto.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	ack, err := js.Publish(context.Background(), env.GetType(), data, jetstream.WithMsgID(msgID))
	if err != nil {
		t.Fatal(err)
	}
	return ack.Sequence
}

func (e *env) waitMatch(t *testing.T, id string, status matchingv1.MatchStatus) *matchingv1.Match {
	t.Helper()
	var m *matchingv1.Match
	eventually(t, "match "+status.String(), func() error {
		var err error
		if m, err = e.client.GetMatch(e.coord, &matchingv1.GetMatchRequest{Id: id}); err != nil {
			return err
		}
		if m.GetStatus() != status {
			return fmt.Errorf("match is %v", m.GetStatus())
		}
		return nil
	})
	return m
}

func (e *env) roomOutOfPool(t *testing.T, roomID string) {
	t.Helper()
	eventually(t, "the room leaves the pool", func() error {
		_, err := e.client.ListCandidates(e.coord, &matchingv1.ListCandidatesRequest{RoomId: roomID})
		if grpcx.Reason(err) != "ROOM_NOT_IN_POOL" {
			return fmt.Errorf("candidates of a reserved room: %v", err)
		}
		return nil
	})
}

// TestContractEndedCompletesTheMatch: the stay ends, the match is COMPLETED, and once hosts and
// students have released room and student, the room and the student's new application are
// matched again.
func TestContractEndedCompletesTheMatch(t *testing.T) {
	t.Parallel()
	e := start(t)
	s := e.approvedStay(t)
	e.roomOutOfPool(t, s.room.GetRoomId())
	s.roomStatus(t, e, hostsevents.RoomOccupied.Subject, "OCCUPIED")
	s.applicationStatus(t, e, s.app, studentsevents.ApplicationPlaced.Subject, "PLACED")
	placed := clone(s.student)
	placed.Status = "PLACED"
	svctest.Publish(t, e.js, studentsevents.StudentPlaced.Subject, lyon, &studentseventsv1.StudentStatusChanged{Student: placed})

	s.contract(t, e, contractsevents.ContractEnded.Subject, "ENDED")
	e.waitMatch(t, s.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_COMPLETED)
	mc, err := event.Payload(matchEvents(t, e.js, matchingevents.MatchCompleted.Subject, 1)[0], &matchingeventsv1.MatchChanged{})
	if err != nil || mc.GetMatch().GetMatchId() != s.match.GetId() || mc.GetMatch().GetStatus() != "COMPLETED" {
		t.Fatalf("match.completed: %v %v", mc, err)
	}

	// Hosts releases the room, students the student, who applies again.
	s.roomStatus(t, e, hostsevents.RoomReleased.Subject, "PUBLISHED")
	svctest.Publish(t, e.js, studentsevents.StudentReleased.Subject, lyon, &studentseventsv1.StudentStatusChanged{Student: s.student})
	next := applicationProfile(s.student)
	e.submit(t, s.student, next)
	e.waitCandidates(t, s.room.GetRoomId(), s.student.GetStudentId())
	again, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: s.room.GetRoomId(), StudentId: s.student.GetStudentId()})
	if err != nil || again.GetApplicationId() != next.GetApplicationId() {
		t.Fatalf("match the room and the new application: %v %v", again, err)
	}

	// A termination told after the end changes nothing; an impossible one is not retried.
	s.contract(t, e, contractsevents.ContractTerminated.Subject, "TERMINATED")
	s.contract(t, e, contractsevents.ContractCancelled.Subject, "CANCELLED") // of a COMPLETED match
	eventually(t, "the contract events are handled", func() error {
		info, err := e.consumed(contractsevents.Stream.Name, "matching-contracts")
		if err != nil {
			return err
		}
		if info.AckFloor.Stream != 3 || info.NumAckPending != 0 || info.Delivered.Consumer != 3 {
			return fmt.Errorf("ack floor %d, %d delivered", info.AckFloor.Stream, info.Delivered.Consumer)
		}
		return nil
	})
	e.waitMatch(t, s.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_COMPLETED)
}

// TestContractCancelledCancelsTheMatch: the contract is cancelled before the stay: the match is
// CANCELLED with was_approved, once even when the event comes twice, and once hosts and
// students have put room and application back, the room has its candidate again.
func TestContractCancelledCancelsTheMatch(t *testing.T) {
	t.Parallel()
	e := start(t)
	s := e.approvedStay(t)
	e.roomOutOfPool(t, s.room.GetRoomId())

	env := s.contract(t, e, contractsevents.ContractCancelled.Subject, "CANCELLED")
	m := e.waitMatch(t, s.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_CANCELLED)
	if m.GetCancelReason() != "CONTRACT_CANCELLED" {
		t.Fatalf("cancel reason %q", m.GetCancelReason())
	}
	mc, err := event.Payload(matchEvents(t, e.js, matchingevents.MatchCancelled.Subject, 1)[0], &matchingeventsv1.MatchChanged{})
	if err != nil || !mc.GetWasApproved() || mc.GetMatch().GetMatchId() != s.match.GetId() {
		t.Fatalf("match.cancelled: %v %v", mc, err)
	}
	// Delivered again (past JetStream's deduplication): the inbox has it.
	seq := publishWithID(t, e.js, env, uuid.NewString())
	eventually(t, "the redelivery is handled", func() error {
		info, err := e.consumed(contractsevents.Stream.Name, "matching-contracts")
		if err != nil || info.AckFloor.Stream < seq {
			return fmt.Errorf("not handled yet (%v)", err)
		}
		return nil
	})
	st, err := e.js.Stream(context.Background(), matchingevents.Stream.Name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background(), jetstream.WithSubjectFilter(matchingevents.MatchCancelled.Subject))
	if err != nil || info.State.Subjects[matchingevents.MatchCancelled.Subject] != 1 {
		t.Fatalf("match.cancelled events: %v %v", info.State.Subjects, err)
	}
	if again := e.waitMatch(t, s.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_CANCELLED); again.GetEtag() != m.GetEtag() {
		t.Fatal("the redelivered cancellation changed the match")
	}

	// Hosts releases the room, students resubmits the application: both are back in the pool.
	s.roomStatus(t, e, hostsevents.RoomReleased.Subject, "PUBLISHED")
	s.applicationStatus(t, e, s.app, studentsevents.ApplicationResubmitted.Subject, "SUBMITTED")
	e.waitCandidates(t, s.room.GetRoomId(), s.student.GetStudentId())
	if _, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: s.room.GetRoomId(), StudentId: s.student.GetStudentId()}); err != nil {
		t.Fatalf("propose the pair again: %v", err)
	}
	// A match the coordinator cancels after approval cannot be "cancelled" by a contract again.
	_, err = e.client.CancelMatch(e.coord, &matchingv1.CancelMatchRequest{Id: s.match.GetId(), Reason: "again"})
	svctest.WantCode(t, err, codes.FailedPrecondition)
}

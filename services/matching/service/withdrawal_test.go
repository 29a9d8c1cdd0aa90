package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	matchingeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/events/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
)

// withdrawal is the students service's application.withdrawn of a, as its relay publishes it
// (Nats-Msg-Id = the event id); seq is its place on the STUDENTS stream.
func (e *env) withdraw(t *testing.T, a *studentseventsv1.ApplicationProfile) (env *eventsv1.Envelope, seq uint64) {
	t.Helper()
	w := clone(a)
	w.Status = "WITHDRAWN"
	env, err := event.New(studentsevents.ApplicationWithdrawn.Subject, lyon, time.Now(), &studentseventsv1.ApplicationWithdrawn{Application: w})
	if err != nil {
		t.Fatal(err)
	}
	return env, publishWithID(t, e.js, env, env.GetId())
}

// handled waits until the matching consumer of the STUDENTS stream has acknowledged every
// message up to seq.
func (e *env) handled(t *testing.T, seq uint64) {
	t.Helper()
	eventually(t, "the students' events are handled", func() error {
		info, err := e.consumed(studentsevents.Stream.Name, "matching-students")
		if err != nil {
			return err
		}
		if info.AckFloor.Stream < seq || info.NumAckPending != 0 {
			return fmt.Errorf("ack floor %d, want %d (%d pending)", info.AckFloor.Stream, seq, info.NumAckPending)
		}
		return nil
	})
}

// cancelledEvents counts the match.cancelled events on the MATCHING stream.
func (e *env) cancelledEvents(t *testing.T) uint64 {
	t.Helper()
	st, err := e.js.Stream(context.Background(), matchingevents.Stream.Name)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background(), jetstream.WithSubjectFilter(matchingevents.MatchCancelled.Subject))
	if err != nil {
		t.Fatal(err)
	}
	return info.State.Subjects[matchingevents.MatchCancelled.Subject]
}

// propose creates a PROPOSED match of room and student.
func (e *env) propose(t *testing.T, roomID, studentID string) *matchingv1.Match {
	t.Helper()
	m, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: roomID, StudentId: studentID})
	if err != nil {
		t.Fatalf("propose room %s to student %s: %v", roomID, studentID, err)
	}
	return m
}

// TestWithdrawnApplicationCancelsItsMatches: a student who withdraws her application takes
// her matches under way with her: an APPROVED one (was_approved, so that hosts free the room
// and contracts cancel the draft) and PROPOSED ones are CANCELLED, each with one
// match.cancelled; another student's match of the same room is untouched.
func TestWithdrawnApplicationCancelsItsMatches(t *testing.T) {
	t.Parallel()
	e := start(t)
	s := e.approvedStay(t)

	// Léa has two proposals; Marc, another student, is proposed the first room too.
	h := hostProfile("")
	r1, r2 := roomProfile(h), roomProfile(h)
	e.publishRoom(t, h, r1)
	e.publishRoom(t, h, r2)
	lea, marc := studentProfile(""), studentProfile("")
	leaApp, marcApp := applicationProfile(lea), applicationProfile(marc)
	e.submit(t, lea, leaApp)
	e.submit(t, marc, marcApp)
	e.waitCandidates(t, r1.GetRoomId(), sortedIDs(lea.GetStudentId(), marc.GetStudentId())...)
	e.waitCandidates(t, r2.GetRoomId(), sortedIDs(lea.GetStudentId(), marc.GetStudentId())...)
	lea1, lea2 := e.propose(t, r1.GetRoomId(), lea.GetStudentId()), e.propose(t, r2.GetRoomId(), lea.GetStudentId())
	marc1 := e.propose(t, r1.GetRoomId(), marc.GetStudentId())

	e.withdraw(t, s.app)
	m := e.waitMatch(t, s.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_CANCELLED)
	if m.GetCancelReason() != "APPLICATION_WITHDRAWN" {
		t.Fatalf("cancel reason %q", m.GetCancelReason())
	}
	_, seq := e.withdraw(t, leaApp)
	for _, id := range []string{lea1.GetId(), lea2.GetId()} {
		if m := e.waitMatch(t, id, matchingv1.MatchStatus_MATCH_STATUS_CANCELLED); m.GetCancelReason() != "APPLICATION_WITHDRAWN" {
			t.Fatalf("cancel reason %q", m.GetCancelReason())
		}
	}
	e.handled(t, seq)
	if m := e.waitMatch(t, marc1.GetId(), matchingv1.MatchStatus_MATCH_STATUS_PROPOSED); m.GetEtag() != marc1.GetEtag() {
		t.Fatal("another student's match changed")
	}

	// One match.cancelled per match, as a coordinator's cancellation publishes it.
	want := map[string]bool{s.match.GetId(): true, lea1.GetId(): false, lea2.GetId(): false}
	var got []string
	for _, env := range matchEvents(t, e.js, matchingevents.MatchCancelled.Subject, len(want)) {
		mc, err := event.Payload(env, &matchingeventsv1.MatchChanged{})
		if err != nil {
			t.Fatal(err)
		}
		id := mc.GetMatch().GetMatchId()
		wasApproved, ok := want[id]
		if !ok || mc.GetWasApproved() != wasApproved || mc.GetMatch().GetStatus() != "CANCELLED" || env.GetProgrammeId() != lyon {
			t.Fatalf("match.cancelled %v", mc)
		}
		got = append(got, id)
	}
	slices.Sort(got)
	if len(slices.Compact(got)) != len(want) {
		t.Fatalf("match.cancelled of %v", got)
	}
	if n := e.cancelledEvents(t); n != uint64(len(want)) {
		t.Fatalf("%d match.cancelled events, want %d", n, len(want))
	}
	// The withdrawn applications left the pool: nothing more to propose to them.
	_, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: r2.GetRoomId(), StudentId: lea.GetStudentId()})
	if err == nil {
		t.Fatal("proposed a room to a student whose application is withdrawn")
	}
}

// TestWithdrawnTwiceCancelsOnce: the same withdrawal delivered again (past JetStream's
// deduplication), and the same fact told by a second event, cancel once and publish once.
func TestWithdrawnTwiceCancelsOnce(t *testing.T) {
	t.Parallel()
	e := start(t)
	s := e.approvedStay(t)

	env, _ := e.withdraw(t, s.app)
	m := e.waitMatch(t, s.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_CANCELLED)
	e.handled(t, publishWithID(t, e.js, env, uuid.NewString())) // the same event, redelivered
	_, seq := e.withdraw(t, s.app)                              // the same fact, a new event
	e.handled(t, seq)

	if again := e.waitMatch(t, s.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_CANCELLED); again.GetEtag() != m.GetEtag() {
		t.Fatal("a second telling of the withdrawal changed the match")
	}
	matchEvents(t, e.js, matchingevents.MatchCancelled.Subject, 1)
	if n := e.cancelledEvents(t); n != 1 {
		t.Fatalf("%d match.cancelled events, want 1", n)
	}
}

// TestWithdrawnAfterTheMatchClosedChangesNothing: a match already DECLINED or COMPLETED stays
// as it is when its application is withdrawn; no match.cancelled is published.
func TestWithdrawnAfterTheMatchClosedChangesNothing(t *testing.T) {
	t.Parallel()
	e := start(t)

	// COMPLETED: the stay ended (the withdrawal cannot really follow; told anyway, it is moot).
	done := e.approvedStay(t)
	done.contract(t, e, contractsevents.ContractEnded.Subject, "ENDED")
	completed := e.waitMatch(t, done.match.GetId(), matchingv1.MatchStatus_MATCH_STATUS_COMPLETED)

	// DECLINED: the host said no, then the student withdrew.
	h := hostProfile("")
	r := roomProfile(h)
	e.publishRoom(t, h, r)
	st := studentProfile("")
	a := applicationProfile(st)
	e.submit(t, st, a)
	e.waitCandidates(t, r.GetRoomId(), st.GetStudentId())
	m := e.propose(t, r.GetRoomId(), st.GetStudentId())
	declined, err := e.client.DeclineMatch(e.coord, &matchingv1.DeclineMatchRequest{Id: m.GetId(), Party: matchingv1.Party_PARTY_HOST, Reason: "pas d'accord sur les horaires"})
	if err != nil {
		t.Fatal(err)
	}

	e.withdraw(t, done.app)
	_, seq := e.withdraw(t, a)
	e.handled(t, seq)
	for _, before := range []*matchingv1.Match{completed, declined} {
		if after := e.waitMatch(t, before.GetId(), before.GetStatus()); after.GetEtag() != before.GetEtag() {
			t.Fatalf("the withdrawal changed a %v match", before.GetStatus())
		}
	}
	if n := e.cancelledEvents(t); n != 0 {
		t.Fatalf("%d match.cancelled events, want none", n)
	}
}

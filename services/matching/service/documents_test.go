package service_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	deskeventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/events/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// The approval gate (SPEC §6) from matching's own copy of the desk's documents: refused with
// DOCUMENTS_INCOMPLETE naming each document that is not verified or expires before the stay,
// accepted right after the last one is verified (the approval waits for its copy).
func TestApprovalWaitsForDocuments(t *testing.T) {
	t.Parallel()
	e := start(t)
	if err := natsx.EnsureStream(context.Background(), e.js, natsx.Stream{Name: deskevents.Stream.Name, Subjects: deskevents.Stream.Subjects()}); err != nil {
		t.Fatal(err)
	}
	_, hostAccount := e.as(t, auth.RoleHost, lyon)
	_, studentAccount := e.as(t, auth.RoleStudent, lyon)
	h := hostProfile(hostAccount)
	room := roomProfile(h)
	e.publishRoom(t, h, room)
	s := studentProfile(studentAccount)
	a := applicationProfile(s)
	e.submit(t, s, a)
	e.waitCandidates(t, room.GetRoomId(), s.GetStudentId())

	doc := func(id, owner string, kind typev1.DocumentKind, status, expiry string) {
		svctest.Publish(t, e.js, map[string]string{"MISSING": deskevents.DocumentRequested.Subject, "VERIFIED": deskevents.DocumentVerified.Subject, "RECEIVED": deskevents.DocumentReceived.Subject}[status], lyon,
			&deskeventsv1.DocumentChanged{DocumentId: id, ProgrammeId: lyon, OwnerId: owner, Kind: kind, Status: status, ExpiryDate: expiry})
	}
	hostID, insurance, studentID := ids.New(), ids.New(), ids.New()
	doc(hostID, h.GetHostId(), typev1.DocumentKind_DOCUMENT_KIND_IDENTITY, "VERIFIED", "")
	doc(insurance, h.GetHostId(), typev1.DocumentKind_DOCUMENT_KIND_HOME_INSURANCE, "VERIFIED", "2000-01-01") // expires before any stay
	doc(studentID, s.GetStudentId(), typev1.DocumentKind_DOCUMENT_KIND_IDENTITY, "RECEIVED", "")

	// Matching has its copy of the three documents.
	eventually(t, "matching's copy of the documents", func() error {
		info, err := e.consumed(deskevents.Stream.Name, "matching-desk")
		if err != nil {
			return err
		}
		if info.AckFloor.Stream < 3 {
			return fmt.Errorf("acknowledged up to %d", info.AckFloor.Stream)
		}
		return nil
	})
	m, err := e.client.CreateMatch(e.coord, &matchingv1.CreateMatchRequest{RoomId: room.GetRoomId(), StudentId: s.GetStudentId()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.ScheduleMeeting(e.coord, &matchingv1.ScheduleMeetingRequest{Id: m.GetId(), MeetingAt: timestamppb.New(time.Now().Add(time.Hour))}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []matchingv1.Party{matchingv1.Party_PARTY_HOST, matchingv1.Party_PARTY_STUDENT} {
		if _, err := e.client.AcceptMatch(e.coord, &matchingv1.AcceptMatchRequest{Id: m.GetId(), Party: p}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.client.ApproveMatch(e.coord, &matchingv1.ApproveMatchRequest{Id: m.GetId()})
	svctest.WantCode(t, err, codes.FailedPrecondition)
	v := grpcx.FieldViolations(err)
	if grpcx.Reason(err) != "DOCUMENTS_INCOMPLETE" || v["hostDocuments.HOME_INSURANCE"] == "" || v["studentDocuments.IDENTITY"] == "" || len(v) != 2 {
		t.Fatalf("refusal: %s %v", grpcx.Reason(err), v)
	}

	// The last ones verified, the approval asked at once goes through.
	doc(insurance, h.GetHostId(), typev1.DocumentKind_DOCUMENT_KIND_HOME_INSURANCE, "VERIFIED", "2099-12-31")
	doc(studentID, s.GetStudentId(), typev1.DocumentKind_DOCUMENT_KIND_IDENTITY, "VERIFIED", "")
	approved, err := e.client.ApproveMatch(e.coord, &matchingv1.ApproveMatchRequest{Id: m.GetId()})
	if err != nil || approved.GetStatus() != matchingv1.MatchStatus_MATCH_STATUS_APPROVED {
		t.Fatalf("approval once verified: %v %v", approved.GetStatus(), err)
	}
}

package journey

import (
	"slices"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// TestErasureCancelsOpenProposals (SPEC §9): erasing a student with a proposal under way
// cancels it, the other party (an assisted host: on the coordinator's call list) is told, the
// match keeps its place in the host's history with the student's name replaced, and the
// student leaves the room's candidates.
func TestErasureCancelsOpenProposals(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	hostID, roomID := s.publishedRoom(coord)
	sb := studentBody("2004-05-06")
	sb["displayName"] = "Philippine Zabalza"
	_, studentID := s.applicant(coord, demo, "philippine.zabalza@erasure.example", sb)
	eventually(t, "the student is a candidate", func() bool {
		return len(list(s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil), "candidates")) == 1
	})
	matchID := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": studentID}).str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)})

	s.must(200, "POST", "/v1/students/"+studentID+":erase", coord, map[string]any{"reason": "à sa demande"})
	var m reply
	eventually(t, "the proposal is cancelled", func() bool {
		m = s.must(200, "GET", "/v1/matches/"+matchID, coord, nil)
		return m.str("status") == "MATCH_STATUS_CANCELLED"
	})
	if got := m.str("student", "displayName"); got != erasure.Placeholder {
		t.Errorf("the cancelled match names the erased student: %s", m.raw)
	}
	eventually(t, "the host is told", func() bool {
		return slices.Contains(s.told(coord, hostID, "NOTIFICATION_CHANNEL_CALL", ""), "MATCH_CANCELLED")
	})
	if c := list(s.must(200, "GET", "/v1/rooms/"+roomID+"/candidates", coord, nil), "candidates"); len(c) != 0 {
		t.Errorf("the erased student is still a candidate: %v", c)
	}
}

// TestErasureUndoesAnApprovalItCrossed: the owner refuses an erasure while it knows of an
// approved match, but learns of approvals by events; an approval made in the moment between
// an erasure and its arrival at matching is undone there — the match cancelled, and with it
// the draft contract — instead of leaving a contract for a person who no longer exists. The
// erasure is published here as the students service would have, with the approval unknown
// to it.
func TestErasureUndoesAnApprovalItCrossed(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	_, roomID := s.publishedRoom(coord)
	tok, studentID := s.applicant(coord, demo, "crossed@erasure.example", studentBody("2004-05-06"))
	eventually(t, "the student is a candidate", func() bool {
		return len(list(s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil), "candidates")) == 1
	})
	matchID := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": studentID}).str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", tok, map[string]any{})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", coord, map[string]any{"party": "PARTY_HOST"})
	s.verifyDocumentsOfMatch(coord, matchID)
	s.must(200, "POST", "/v1/matches/"+matchID+":approve", coord, map[string]any{})
	var contractID string
	eventually(t, "the contract is drafted", func() bool {
		cs := list(s.must(200, "GET", "/v1/contracts?matchId="+matchID, coord, nil), "contracts")
		if len(cs) == 1 {
			contractID, _ = cs[0]["id"].(string)
		}
		return contractID != ""
	})

	ev, err := erasure.Event(erasure.Person{ID: studentID, Kind: erasure.Student, ProgrammeID: demo}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	svctest.PublishEnvelope(t, s.js, ev)
	eventually(t, "the approval and its draft are undone", func() bool {
		return s.must(200, "GET", "/v1/matches/"+matchID, coord, nil).str("status") == "MATCH_STATUS_CANCELLED" &&
			s.must(200, "GET", "/v1/contracts/"+contractID, coord, nil).str("status") == "CONTRACT_STATUS_CANCELLED"
	})
}

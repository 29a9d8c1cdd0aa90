package journey

import (
	"slices"
	"testing"
	"time"

	"github.com/cohabit/cohabit/services/platform/erasure"
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

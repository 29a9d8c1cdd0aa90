package journey

import (
	"testing"
	"time"
)

// TestWithdrawalAfterApprovalUndoesTheMatch: a student withdraws her application after the
// match was approved and its contract drafted. Matching cancels the match (the student has
// left), contracts cancels the draft, hosts puts the room back on offer, and the application
// stays withdrawn.
func TestWithdrawalAfterApprovalUndoesTheMatch(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	_, roomID := s.publishedRoom(coord)
	lea, leaID := s.applicant(coord, demo, "lea@example.org", studentBody("2004-05-06"))

	eventually(t, "Léa is a candidate for the room", func() bool {
		r := s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil)
		return r.code == 200 && len(list(r, "candidates")) == 1
	})
	matchID := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": leaID}).str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", lea, map[string]any{})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", coord, map[string]any{"party": "PARTY_HOST"})
	s.verifyDocumentsOfMatch(coord, matchID) // SPEC §6: documents verified before the approval
	s.must(200, "POST", "/v1/matches/"+matchID+":approve", coord, map[string]any{})

	var contractID, appID string
	eventually(t, "the contract is drafted", func() bool {
		cs := list(s.must(200, "GET", "/v1/contracts?matchId="+matchID, coord, nil), "contracts")
		if len(cs) == 1 {
			contractID, _ = cs[0]["id"].(string)
		}
		return contractID != ""
	})
	eventually(t, "the room is reserved and the application matched", func() bool {
		apps := list(s.must(200, "GET", "/v1/students/"+leaID+"/applications", coord, nil), "applications")
		if len(apps) == 1 && apps[0]["status"] == "APPLICATION_STATUS_MATCHED" {
			appID, _ = apps[0]["id"].(string)
		}
		return appID != "" && s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_RESERVED"
	})

	s.must(200, "POST", "/v1/applications/"+appID+":withdraw", lea, map[string]any{})

	eventually(t, "the match is cancelled", func() bool {
		return s.must(200, "GET", "/v1/matches/"+matchID, coord, nil).str("status") == "MATCH_STATUS_CANCELLED"
	})
	if r := s.must(200, "GET", "/v1/matches/"+matchID, coord, nil); r.str("cancelReason") != "APPLICATION_WITHDRAWN" {
		t.Fatalf("cancelled match: %s", r.raw)
	}
	eventually(t, "the contract is cancelled", func() bool {
		return s.must(200, "GET", "/v1/contracts/"+contractID, coord, nil).str("status") == "CONTRACT_STATUS_CANCELLED"
	})
	eventually(t, "the room is back on offer", func() bool {
		return s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_PUBLISHED"
	})
	apps := list(s.must(200, "GET", "/v1/students/"+leaID+"/applications", coord, nil), "applications")
	if len(apps) != 1 || apps[0]["status"] != "APPLICATION_STATUS_WITHDRAWN" {
		t.Fatalf("applications after the withdrawal: %v", apps)
	}
}

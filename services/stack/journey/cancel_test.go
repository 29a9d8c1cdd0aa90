package journey

import (
	"testing"
	"time"
)

// TestActiveContractCancelledBeforeItsStart: both signed, then the pair withdraws before
// moving in (SPEC §2 as amended). The ACTIVE contract is cancelled before its start date and
// the chain of SPEC §4 holds through every service: its check-ins CANCELLED, the room
// PUBLISHED again (it was OCCUPIED), the student VERIFIED, the application SUBMITTED, the
// match CANCELLED, and room and student back in matching's pool.
func TestActiveContractCancelledBeforeItsStart(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	_, roomID := s.publishedRoom(coord)
	lea, leaID := s.applicant(coord, demo, "lea@example.org", studentBody("2004-05-06")) // moves in 2027-01-15

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

	var contractID string
	eventually(t, "the contract is drafted", func() bool {
		cs := list(s.must(200, "GET", "/v1/contracts?matchId="+matchID, coord, nil), "contracts")
		if len(cs) == 1 {
			contractID, _ = cs[0]["id"].(string)
		}
		return contractID != ""
	})
	s.must(200, "POST", "/v1/contracts/"+contractID+":send", coord, map[string]any{})
	s.must(200, "POST", "/v1/contracts/"+contractID+":sign", coord, map[string]any{"party": "PARTY_HOST", "method": "SIGNATURE_METHOD_PAPER"})
	eventually(t, "Léa can see her contract", func() bool {
		return s.do("GET", "/v1/contracts/"+contractID, lea, nil).code == 200
	})
	active := s.must(200, "POST", "/v1/contracts/"+contractID+":sign", lea, map[string]any{})
	if active.str("status") != "CONTRACT_STATUS_ACTIVE" {
		t.Fatalf("signed by both: %s", active.raw)
	}
	eventually(t, "the room is occupied and Léa placed", func() bool {
		return s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_OCCUPIED" &&
			s.must(200, "GET", "/v1/students/"+leaID, coord, nil).str("status") == "STUDENT_STATUS_PLACED"
	})

	cancelled := s.must(200, "POST", "/v1/contracts/"+contractID+":cancel", coord, map[string]any{"reason": "Le couple renonce avant l'emménagement."})
	if cancelled.str("status") != "CONTRACT_STATUS_CANCELLED" {
		t.Fatalf("cancel before the start date: %s", cancelled.raw)
	}
	checkins := list(s.must(200, "GET", "/v1/checkins?contractId="+contractID, coord, nil), "checkins")
	if len(checkins) == 0 {
		t.Fatal("no check-in was scheduled at activation")
	}
	for _, ch := range checkins {
		if ch["status"] != "CHECKIN_STATUS_CANCELLED" {
			t.Fatalf("check-in after the cancellation: %v", ch)
		}
	}
	eventually(t, "the room is back on offer", func() bool {
		return s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_PUBLISHED"
	})
	eventually(t, "Léa is verified and her application submitted again", func() bool {
		apps := list(s.must(200, "GET", "/v1/students/"+leaID+"/applications", coord, nil), "applications")
		return s.must(200, "GET", "/v1/students/"+leaID, coord, nil).str("status") == "STUDENT_STATUS_VERIFIED" &&
			len(apps) == 1 && apps[0]["status"] == "APPLICATION_STATUS_SUBMITTED"
	})
	eventually(t, "the match is cancelled", func() bool {
		return s.must(200, "GET", "/v1/matches/"+matchID, coord, nil).str("status") == "MATCH_STATUS_CANCELLED"
	})
	eventually(t, "room and student are back in matching's pool", func() bool {
		r := s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil)
		return r.code == 200 && len(list(r, "candidates")) == 1
	})
}

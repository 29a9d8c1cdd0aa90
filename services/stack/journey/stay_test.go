package journey

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func list(r reply, key string) []map[string]any {
	items, _ := r.body[key].([]any)
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

// TestWholeStay walks SPEC's journey over HTTP, through every service: a room is published, a
// student applies, they are matched and approved, the contract is drafted, signed and active,
// the pair is followed, notice is given, and when it takes effect the room is back in the pool.
func TestWholeStay(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")

	// Register, verify, publish.
	jeanneID, roomID := s.publishedRoom(coord)
	// Sign up, profile, verification, application.
	lea, leaID := s.applicant(coord, demo, "lea@example.org", studentBody("2004-05-06"))

	// Candidates, propose, meet, accept, approve.
	eventually(t, "Léa is a candidate for the room", func() bool {
		r := s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil)
		return r.code == 200 && len(list(r, "candidates")) == 1
	})
	m := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": leaID})
	matchID := m.str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", lea, map[string]any{})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", coord, map[string]any{"party": "PARTY_HOST"})
	s.verifyDocumentsOfMatch(coord, matchID) // SPEC §6: documents verified before the approval
	s.must(200, "POST", "/v1/matches/"+matchID+":approve", coord, map[string]any{})

	// The chain: contract drafted, room reserved, application matched.
	var contract map[string]any
	eventually(t, "the contract is drafted", func() bool {
		cs := list(s.must(200, "GET", "/v1/contracts?matchId="+matchID, coord, nil), "contracts")
		if len(cs) == 1 {
			contract = cs[0]
		}
		return len(cs) == 1
	})
	contractID := contract["id"].(string)
	terms, _ := contract["terms"].(map[string]any)
	if contract["status"] != "CONTRACT_STATUS_DRAFT" || contract["roomId"] != roomID || contract["studentId"] != leaID ||
		fmt.Sprint(terms["sharedSpaces"]) != "[cuisine salon]" { // the room's, through hosts, matching and contracts
		t.Fatalf("drafted contract: %v", contract)
	}
	eventually(t, "the room is reserved", func() bool {
		return s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_RESERVED"
	})
	eventually(t, "the application is matched", func() bool {
		apps := list(s.must(200, "GET", "/v1/students/"+leaID+"/applications", coord, nil), "applications")
		return len(apps) == 1 && apps[0]["status"] == "APPLICATION_STATUS_MATCHED"
	})

	// Terms, sending, signatures (the coordinator signs on paper for the assisted host).
	bad := s.must(400, "PATCH", "/v1/contracts/"+contractID, coord, map[string]any{"terms": map[string]any{"noticeDays": 10}})
	if !strings.Contains(strings.Join(bad.violations(), ","), "noticeDays") {
		t.Fatalf("a notice shorter than the legal month: %s", bad.raw)
	}
	s.must(200, "PATCH", "/v1/contracts/"+contractID, coord, map[string]any{"terms": map[string]any{"sharedSpaces": []string{"cuisine", "salon"}, "entryInventory": "Chambre repeinte, lit 140, bureau, armoire."}})
	s.must(200, "POST", "/v1/contracts/"+contractID+":send", coord, map[string]any{})
	s.must(200, "POST", "/v1/contracts/"+contractID+":sign", coord, map[string]any{"party": "PARTY_HOST", "method": "SIGNATURE_METHOD_PAPER"})
	eventually(t, "Léa can see her contract", func() bool {
		return s.do("GET", "/v1/contracts/"+contractID, lea, nil).code == 200
	})
	active := s.must(200, "POST", "/v1/contracts/"+contractID+":sign", lea, map[string]any{})
	if active.str("status") != "CONTRACT_STATUS_ACTIVE" {
		t.Fatalf("signed by both: %s", active.raw)
	}
	eventually(t, "the room is occupied", func() bool {
		return s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_OCCUPIED"
	})
	eventually(t, "Léa is placed", func() bool {
		return s.must(200, "GET", "/v1/students/"+leaID, coord, nil).str("status") == "STUDENT_STATUS_PLACED"
	})

	// The printable contract.
	req, _ := http.NewRequest("GET", s.base+"/v1/contracts/"+contractID+"/document", nil)
	req.Header.Set("Authorization", "Bearer "+coord)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(pdf, []byte("%PDF")) {
		t.Fatalf("contract document: %d %s %q", resp.StatusCode, resp.Header.Get("Content-Type"), pdf[:min(len(pdf), 8)])
	}
	checkContractText(t, pdf, "Association Toit Partagé Lyonnais", "représentée par Hélène Garnier, présidente",
		"L'hôte — Jeanne Martin", "date de naissance : 12/03/1948", "Adresse du logement : 3 rue des Lilas, 69003 Lyon",
		"L'étudiante — Léa Dubois", "établissement : Université Lyon 2", "lea.dubois@example.org",
		"Chambre sur jardin", "Espaces partagés : cuisine, salon", "Signé sur papier", "Signé par voie électronique")

	// Follow-up: a check-in done, an incident reported, mediated and resolved.
	checkins := list(s.must(200, "GET", "/v1/checkins?contractId="+contractID, coord, nil), "checkins")
	if len(checkins) == 0 {
		t.Fatal("no check-in scheduled at activation")
	}
	s.must(403, "GET", "/v1/checkins", lea, nil)
	done := s.must(200, "POST", "/v1/checkins/"+checkins[0]["id"].(string)+":complete", coord, map[string]any{
		"method": "CHECKIN_METHOD_VISIT", "hostWellbeing": 5, "studentWellbeing": 4, "notes": "Tout va bien.",
	})
	if done.str("status") != "CHECKIN_STATUS_DONE" {
		t.Fatalf("check-in: %s", done.raw)
	}
	inc := s.must(200, "POST", "/v1/contracts/"+contractID+"/incidents", lea, map[string]any{"severity": "SEVERITY_MEDIUM", "category": "NOISE", "description": "Télévision forte le soir."})
	s.must(200, "POST", "/v1/incidents/"+inc.str("id")+":mediate", coord, map[string]any{})
	s.must(200, "POST", "/v1/incidents/"+inc.str("id")+":resolve", coord, map[string]any{"resolution": "Casque offert, horaires convenus."})

	// Notice: too short is refused with the earliest date; a valid one takes effect later.
	tooSoon := s.must(400, "POST", "/v1/contracts/"+contractID+":terminate", lea, map[string]any{"reason": "Fin d'études", "effectiveDate": time.Now().AddDate(0, 0, 2).Format("2006-01-02")})
	if !strings.Contains(tooSoon.raw, "earliest") {
		t.Fatalf("a notice too short names the earliest date: %s", tooSoon.raw)
	}
	effective := time.Now().AddDate(0, 0, 45)
	notice := s.must(200, "POST", "/v1/contracts/"+contractID+":terminate", lea, map[string]any{"reason": "Fin d'études", "effectiveDate": effective.Format("2006-01-02")})
	if notice.str("status") != "CONTRACT_STATUS_NOTICE_GIVEN" {
		t.Fatalf("notice: %s", notice.raw)
	}
	s.clock.advance(46 * 24 * time.Hour)
	eventually(t, "the contract is terminated on its effective date", func() bool {
		return s.must(200, "GET", "/v1/contracts/"+contractID, coord, nil).str("status") == "CONTRACT_STATUS_TERMINATED"
	})

	// The end of the stay frees everyone.
	eventually(t, "the room is back on offer", func() bool {
		return s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_PUBLISHED"
	})
	eventually(t, "the match is completed", func() bool {
		return s.must(200, "GET", "/v1/matches/"+matchID, coord, nil).str("status") == "MATCH_STATUS_COMPLETED"
	})
	eventually(t, "Léa is free to apply again", func() bool {
		return s.must(200, "GET", "/v1/students/"+leaID, coord, nil).str("status") == "STUDENT_STATUS_VERIFIED"
	})
	_, tomID := s.applicant(coord, demo, "tom@example.org", studentBody("2005-09-09"))
	eventually(t, "the room is back in the matching pool", func() bool {
		r := s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil)
		for _, c := range list(r, "candidates") {
			if c["studentId"] == tomID {
				return true
			}
		}
		return false
	})

	// What each party was told, in order (SPEC §7). Léa, who signed up with an email, by
	// email, each message accepted by the SMTP server; Jeanne, assisted and without an
	// account, never by email: each step is a line on the coordinator's call list.
	wantLea := []string{"MATCH_PROPOSED", "MEETING_SCHEDULED", "MATCH_APPROVED", "CONTRACT_TO_SIGN", "CONTRACT_ACTIVE", "NOTICE_GIVEN"}
	wantJeanne := wantLea // the same steps, said by the coordinator
	var toldLea, toldJeanne []string
	ok := func() bool {
		toldLea = s.told(coord, leaID, "NOTIFICATION_CHANNEL_EMAIL", "NOTIFICATION_STATUS_SENT")
		toldJeanne = s.told(coord, jeanneID, "NOTIFICATION_CHANNEL_CALL", "")
		return slices.Equal(toldLea, wantLea) && slices.Equal(toldJeanne, wantJeanne)
	}
	defer func() {
		if t.Failed() {
			t.Logf("Léa was told by email %v, want %v; Jeanne's call list %v, want %v", toldLea, wantLea, toldJeanne, wantJeanne)
		}
	}()
	eventually(t, "each party is told each step, in order", ok)
	if email := s.told(coord, jeanneID, "NOTIFICATION_CHANNEL_EMAIL", ""); len(email) != 0 {
		t.Errorf("the assisted host was emailed: %v", email)
	}
	if s.mail.Received() < len(wantLea) {
		t.Errorf("the SMTP server received %d messages, want at least %d", s.mail.Received(), len(wantLea))
	}
}

// told lists the topics of what recipient was told on channel (with status, if given),
// oldest first, as the coordinator reads them.
func (s *stack) told(coord, recipient, channel, status string) []string {
	s.t.Helper()
	var out []string
	for _, n := range list(s.must(200, "GET", "/v1/notifications?recipientId="+recipient+"&pageSize=100", coord, nil), "notifications") {
		if n["channel"] == channel && (status == "" || n["status"] == status) {
			out = append(out, fmt.Sprint(n["topic"]))
		}
	}
	slices.Reverse(out) // the list is newest first
	return out
}

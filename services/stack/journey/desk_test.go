package journey

import (
	"bytes"
	"encoding/base64"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
)

// documentsOf waits until the desk holds owner's documents (created from the registration's
// event) and returns them as the coordinator lists them.
func (s *stack) documentsOf(coord, owner string) []map[string]any {
	s.t.Helper()
	var docs []map[string]any
	eventually(s.t, "the desk asks for "+owner+"'s documents", func() bool {
		docs = list(s.must(200, "GET", "/v1/documents?ownerId="+owner, coord, nil), "documents")
		return len(docs) > 0
	})
	return docs
}

// verifyDocumentsOfMatch has the coordinator verify, as seen in person, every document of
// the match's host and student: what SPEC §6 asks before an approval.
func (s *stack) verifyDocumentsOfMatch(coord, matchID string) {
	s.t.Helper()
	m := s.must(200, "GET", "/v1/matches/"+matchID, coord, nil)
	for _, owner := range []string{m.str("hostId"), m.str("studentId")} {
		for _, d := range s.documentsOf(coord, owner) {
			if d["status"] != "DOCUMENT_STATUS_VERIFIED" {
				s.must(200, "POST", "/v1/documents/"+d["id"].(string)+":verify", coord, map[string]any{"seenInPerson": true})
			}
		}
	}
}

// The approval gate through the gateway: a match whose parties' documents are not verified is
// refused with DOCUMENTS_INCOMPLETE naming each one; documents uploaded (a wrong type refused,
// naming the field), downloaded by whom may, verified; then the approval goes through.
func TestApprovalWaitsForVerifiedDocuments(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")

	hostID, roomID := s.publishedRoom(coord)
	lea, leaID := s.applicant(coord, demo, "lea@example.org", studentBody("2004-05-06"))
	tom, _ := s.applicant(coord, demo, "tom@example.org", studentBody("2005-09-09"))
	hostDocs, leaDocs := s.documentsOf(coord, hostID), s.documentsOf(coord, leaID)
	var kinds []string
	for _, d := range append(slices.Clone(hostDocs), leaDocs...) {
		if d["status"] != "DOCUMENT_STATUS_MISSING" {
			t.Fatalf("a new document: %v", d)
		}
		kinds = append(kinds, d["party"].(string)+" "+d["kind"].(string))
	}
	slices.Sort(kinds)
	if want := []string{"PARTY_HOST DOCUMENT_KIND_HOME_INSURANCE", "PARTY_HOST DOCUMENT_KIND_IDENTITY", "PARTY_STUDENT DOCUMENT_KIND_IDENTITY",
		"PARTY_STUDENT DOCUMENT_KIND_LIABILITY_INSURANCE", "PARTY_STUDENT DOCUMENT_KIND_PROOF_OF_SITUATION"}; !slices.Equal(kinds, want) {
		t.Fatalf("documents at registration: %v", kinds)
	}

	eventually(t, "Léa is a candidate", func() bool {
		return strings.Contains(s.must(200, "GET", "/v1/rooms/"+roomID+"/candidates", coord, nil).raw, leaID)
	})
	matchID := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": leaID}).str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", coord, map[string]any{"party": "PARTY_HOST"})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", lea, map[string]any{})

	refused := s.must(400, "POST", "/v1/matches/"+matchID+":approve", coord, map[string]any{})
	if refused.reason() != "DOCUMENTS_INCOMPLETE" {
		t.Fatalf("approval without documents: %s", refused.raw)
	}
	for _, f := range []string{"hostDocuments.IDENTITY", "hostDocuments.HOME_INSURANCE", "studentDocuments.IDENTITY",
		"studentDocuments.PROOF_OF_SITUATION", "studentDocuments.LIABILITY_INSURANCE"} {
		if !slices.Contains(refused.violations(), f) {
			t.Errorf("the refusal names %s: %v", f, refused.violations())
		}
	}

	// Léa uploads her liability insurance from her phone: a text file is refused, a PDF taken.
	var insurance string
	for _, d := range leaDocs {
		if d["kind"] == "DOCUMENT_KIND_LIABILITY_INSURANCE" {
			insurance = d["id"].(string)
		}
	}
	bad := s.must(400, "POST", "/v1/documents/"+insurance+":upload", lea, map[string]any{"fileName": "rc.pdf", "contentType": "application/pdf",
		"content": base64.StdEncoding.EncodeToString([]byte("plain text, not a PDF"))})
	if !slices.Contains(bad.violations(), "content") {
		t.Fatalf("a wrong type names content: %s", bad.raw)
	}
	huge := append([]byte("%PDF-1.4\n"), make([]byte, 11<<20)...)
	if r := s.must(400, "POST", "/v1/documents/"+insurance+":upload", lea, map[string]any{"fileName": "rc.pdf",
		"content": base64.StdEncoding.EncodeToString(huge)}); !slices.Contains(r.violations(), "content") {
		t.Fatalf("an 11 MiB file names content: %s", r.raw)
	}
	pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	up := s.must(200, "POST", "/v1/documents/"+insurance+":upload", lea, map[string]any{"fileName": "rc.pdf", "contentType": "application/pdf",
		"content": base64.StdEncoding.EncodeToString(pdf)})
	if up.str("status") != "DOCUMENT_STATUS_RECEIVED" || up.str("contentType") != "application/pdf" || up.str("sha256") == "" {
		t.Fatalf("uploaded: %s", up.raw)
	}
	// The file: its bytes for Léa and the coordinator; nobody else.
	for _, tok := range []string{lea, coord} {
		code, body, ct := s.raw("GET", "/v1/documents/"+insurance+"/file", tok)
		if code != 200 || !bytes.Equal(body, pdf) || ct != "application/pdf" {
			t.Fatalf("download: %d %q", code, ct)
		}
	}
	if code, _, _ := s.raw("GET", "/v1/documents/"+insurance+"/file", tom); code != 404 {
		t.Errorf("another student downloads: %d", code)
	}
	if code, _, _ := s.raw("GET", "/v1/documents/"+insurance+"/file", admin); code != 403 {
		t.Errorf("the admin downloads: %d", code)
	}

	s.verifyDocumentsOfMatch(coord, matchID)
	appr := s.must(200, "POST", "/v1/matches/"+matchID+":approve", coord, map[string]any{})
	if appr.str("status") != "MATCH_STATUS_APPROVED" {
		t.Fatalf("approved once verified: %s", appr.raw)
	}

	// The timeline of the host: registered, documents, the match, newest first.
	tl := list(s.must(200, "GET", "/v1/timeline?subjectId="+hostID, coord, nil), "entries")
	if len(tl) < 3 {
		t.Fatalf("timeline: %v", tl)
	}

	// The agenda's feed, without a token, read by a real iCalendar parser; replaced, the old
	// address stops working.
	feed := s.must(200, "POST", "/v1/agenda:feed", coord, map[string]any{"language": "en"}).str("feedUrl")
	code, body, ct := s.raw("GET", feed, "")
	if code != 200 || !strings.HasPrefix(ct, "text/calendar") {
		t.Fatalf("feed: %d %q", code, ct)
	}
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("feed parse: %v", err)
	}
	if len(cal.Events()) == 0 {
		t.Fatalf("the feed lists nothing: %s", body)
	}
	for _, ev := range cal.Events() {
		summary := ev.GetProperty(ics.ComponentPropertySummary)
		if summary == nil || summary.Value == "" || ev.Id() == "" {
			t.Errorf("an item without UID or summary: %v", ev.Id())
		}
	}
	for _, name := range []string{"Jeanne", "Léa", "lea@example.org"} {
		if bytes.Contains(body, []byte(name)) {
			t.Errorf("%s in the feed: %s", name, body)
		}
	}
	s.must(200, "POST", "/v1/agenda:feed", coord, map[string]any{})
	if code, _, _ := s.raw("GET", feed, ""); code != 404 {
		t.Errorf("the replaced feed answers %d", code)
	}
}

// raw does a request and returns the answer's status, bytes and content type.
func (s *stack) raw(method, path, token string) (int, []byte, string) {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, nil)
	if err != nil {
		s.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return resp.StatusCode, b, resp.Header.Get("Content-Type")
}

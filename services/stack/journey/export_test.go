package journey

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// exportOf downloads path as token and returns the ZIP's files by name.
func (s *stack) exportOf(path, token string) (int, map[string][]byte) {
	s.t.Helper()
	req, err := http.NewRequest("GET", s.base+path, nil)
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
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 500 {
		s.t.Errorf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	if resp.StatusCode != 200 {
		return resp.StatusCode, nil
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/zip" {
		s.t.Fatalf("GET %s: Content-Type %q", path, ct)
	}
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		s.t.Fatalf("GET %s: not a ZIP: %v", path, err)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			s.t.Fatal(err)
		}
		files[f.Name], _ = io.ReadAll(rc)
		rc.Close()
	}
	return 200, files
}

// TestExportHoldsThePersonsDataAndNobodyElses (SPEC §9): a host's export, downloaded by the
// coordinator, and a student's, downloaded by herself from /v1/me:export, are ZIPs with one
// JSON file per service that holds personal data — each service's part present, holding
// what it keeps about them (the audit trail of who read them included) — and nothing of the
// other party of their match, nor of anyone else; other people get 404, the admin 403.
func TestExportHoldsThePersonsDataAndNobodyElses(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")

	hb := hostBody("1947-02-02")
	hb["displayName"], hb["phone"], hb["email"] = "Hortense Delafosse", "+33 4 76 11 22 33", "hortense.delafosse@export.example"
	host := s.must(200, "POST", "/v1/hosts", coord, hb)
	hostID := host.str("id")
	s.must(200, "POST", "/v1/hosts/"+hostID+":verify", coord, map[string]any{})
	roomID := s.must(200, "POST", "/v1/hosts/"+hostID+"/rooms", coord, roomBody()).str("id")
	s.must(200, "POST", "/v1/rooms/"+roomID+":publish", coord, map[string]any{})
	sb := studentBody("2003-03-03")
	sb["displayName"], sb["phone"], sb["email"] = "Sidonie Marchetti", "+33 6 55 44 33 22", "sidonie.marchetti@export.example"
	sidonie, studentID := s.applicant(coord, demo, "sidonie.marchetti@export.example", sb)
	ob := studentBody("2004-04-04")
	ob["displayName"], ob["email"] = "Octave Bellamy", "octave.bellamy@export.example"
	octave, octaveID := s.applicant(coord, demo, "octave.bellamy@export.example", ob)
	eventually(t, "both students are candidates", func() bool {
		r := s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil)
		return r.code == 200 && len(list(r, "candidates")) == 2
	})
	matchID := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": studentID}).str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(72 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(200, "GET", "/v1/students/"+studentID, coord, nil) // a coordinator's read, for the trail
	eventually(t, "the parties are told and the reads recorded", func() bool {
		return len(s.told(coord, studentID, "NOTIFICATION_CHANNEL_EMAIL", "")) > 0 &&
			len(s.told(coord, hostID, "NOTIFICATION_CHANNEL_CALL", "")) > 0 &&
			len(list(s.do("GET", "/v1/auditEvents?subjectId="+studentID, coord, nil), "auditEvents")) > 0
	})

	// Her document (a file she uploads herself) and a coordinator's note about her.
	pdf := []byte("%PDF-1.4\n% Sidonie's insurance\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	doc := s.documentsOf(coord, studentID)[0]["id"].(string)
	s.must(200, "POST", "/v1/documents/"+doc+":upload", sidonie, map[string]any{"fileName": "assurance.pdf", "contentType": "application/pdf",
		"content": base64.StdEncoding.EncodeToString(pdf)})
	s.must(200, "POST", "/v1/notes", coord, map[string]any{"subjectId": studentID, "body": "Rencontrée le 3 : motivée, disponible le soir."})

	others := map[string][]string{
		"host":    {"Sidonie", "sidonie.marchetti", "55 44 33 22", "Octave", "octave.bellamy", studentID, octaveID, "motivée", "assurance.pdf"},
		"student": {"Hortense", "hortense.delafosse", "76 11 22 33", "Octave", "octave.bellamy", octaveID},
	}
	check := func(who string, files map[string][]byte, own []string, holds map[string]string) {
		t.Helper()
		var names []string
		for name := range files {
			names = append(names, name)
		}
		for _, svc := range []string{"export", "identity", "hosts", "students", "matching", "contracts", "notifications", "desk"} {
			data, ok := files[svc+".json"]
			if !ok {
				t.Errorf("%s's export has no %s.json: %v", who, svc, names)
				continue
			}
			var doc map[string]any
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Errorf("%s's %s.json is not a JSON object: %v", who, svc, err)
			}
			if key := holds[svc]; key != "" {
				if v, ok := doc[key]; !ok || v == nil || fmt_(v) == "[]" || fmt_(v) == "{}" {
					t.Errorf("%s's %s.json holds no %s: %s", who, svc, key, data)
				}
			}
		}
		all := ""
		for _, data := range files {
			all += string(data)
		}
		for _, o := range own {
			if !strings.Contains(all, o) {
				t.Errorf("%s's export lacks their own %q", who, o)
			}
		}
		for _, o := range others[who] {
			for name, data := range files {
				if strings.Contains(string(data), o) {
					t.Errorf("%s's export holds another person's %q in %s", who, o, name)
				}
			}
		}
	}

	code, files := s.exportOf("/v1/hosts/"+hostID+":export", coord)
	if code != 200 {
		t.Fatalf("the host's export: %d", code)
	}
	check("host", files, []string{"Hortense Delafosse", "hortense.delafosse@export.example", hostID, roomID, matchID},
		map[string]string{"hosts": "host", "matching": "matches", "notifications": "notifications"})
	if !strings.Contains(string(files["contracts.json"]), `"contracts"`) {
		t.Errorf("the host's contracts.json: %s", files["contracts.json"])
	}

	code, files = s.exportOf("/v1/me:export", sidonie)
	if code != 200 {
		t.Fatalf("the student's own export: %d", code)
	}
	check("student", files, []string{"Sidonie Marchetti", "sidonie.marchetti@export.example", studentID, matchID},
		map[string]string{"students": "student", "identity": "auditTrail", "matching": "matches", "notifications": "notifications"})
	if !bytes.Equal(files["desk/01-assurance.pdf"], pdf) {
		t.Errorf("the student's export lacks her document's file: %v", slices.Sorted(maps.Keys(files)))
	}
	if d := string(files["desk.json"]); !strings.Contains(d, "motivée, disponible le soir") || !strings.Contains(d, doc) {
		t.Errorf("the student's desk.json lacks the note about her or her document: %s", d)
	}
	var id map[string]any
	_ = json.Unmarshal(files["identity.json"], &id)
	trail, _ := id["auditTrail"].([]any)
	if !slices.ContainsFunc(trail, func(e any) bool {
		m, _ := e.(map[string]any)
		return m["method"] == "/cohabit.students.v1.StudentService/GetStudent" && m["subjectId"] == studentID
	}) {
		t.Errorf("the student's export lacks the coordinator's read of her record: %v", trail)
	}
	if acct, _ := id["account"].(map[string]any); acct == nil || acct["email"] != "sidonie.marchetti@export.example" || strings.Contains(string(files["identity.json"]), "argon2") {
		t.Errorf("the student's account in her export: %s", files["identity.json"])
	}

	// Nobody else's: another student, the admin, no one signed in, an unknown id.
	for _, c := range []struct {
		path, token string
		want        int
	}{
		{"/v1/students/" + studentID + ":export", octave, 404},
		{"/v1/hosts/" + hostID + ":export", octave, 404},
		{"/v1/students/" + studentID + ":export", admin, 403},
		{"/v1/students/" + studentID + ":export", "", 401},
		{"/v1/students/" + octaveID + ":export", sidonie, 404},
		{"/v1/hosts/0190e4c2-0000-7000-8000-000000000000:export", coord, 404},
		{"/v1/me:export", coord, 404},
	} {
		if code, _ := s.exportOf(c.path, c.token); code != c.want {
			t.Errorf("GET %s: %d, want %d", c.path, code, c.want)
		}
	}
}

func fmt_(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

package journey

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/encoding/protojson"

	figuresv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/figures/v1"
	figures "github.com/cohabit/cohabit/services/figures/service"
	platformboot "github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

// stayOf takes a published room and an applicant through proposal, meeting, both acceptances,
// approval, and both signatures: the contract is ACTIVE. It returns the contract.
func (s *stack) stayOf(coord, student, roomID, studentID string) reply {
	s.t.Helper()
	eventually(s.t, "the student is a candidate for the room", func() bool {
		for _, c := range list(s.do("GET", "/v1/rooms/"+roomID+"/candidates?pageSize=50", coord, nil), "candidates") {
			if c["studentId"] == studentID {
				return true
			}
		}
		return false
	})
	matchID := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": studentID}).str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", student, map[string]any{})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", coord, map[string]any{"party": "PARTY_HOST"})
	s.verifyDocumentsOfMatch(coord, matchID) // SPEC §6: documents verified before the approval
	s.must(200, "POST", "/v1/matches/"+matchID+":approve", coord, map[string]any{})
	var contractID string
	eventually(s.t, "the contract is drafted", func() bool {
		if cs := list(s.must(200, "GET", "/v1/contracts?matchId="+matchID, coord, nil), "contracts"); len(cs) == 1 {
			contractID, _ = cs[0]["id"].(string)
		}
		return contractID != ""
	})
	s.must(200, "POST", "/v1/contracts/"+contractID+":send", coord, map[string]any{})
	s.must(200, "POST", "/v1/contracts/"+contractID+":sign", coord, map[string]any{"party": "PARTY_HOST", "method": "SIGNATURE_METHOD_PAPER"})
	active := s.must(200, "POST", "/v1/contracts/"+contractID+":sign", coord, map[string]any{"party": "PARTY_STUDENT", "method": "SIGNATURE_METHOD_IN_PERSON"})
	if active.str("status") != "CONTRACT_STATUS_ACTIVE" {
		s.t.Fatalf("signed by both: %s", active.raw)
	}
	return active
}

// figuresJSON is the figures of the period without the months, every field present.
func figuresJSON(t *testing.T, r reply) string {
	t.Helper()
	var f figuresv1.ProgrammeFigures
	if err := protojson.Unmarshal([]byte(r.raw), &f); err != nil {
		t.Fatalf("figures: %v: %s", err, r.raw)
	}
	return summaryJSON(t, &f)
}

func summaryJSON(t *testing.T, f *figuresv1.ProgrammeFigures) string {
	t.Helper()
	f.Months = nil
	b, err := protojson.MarshalOptions{EmitUnpopulated: true}.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFiguresOfAProgramme (SPEC §8, issue 17) builds a programme's history through the
// services over HTTP — three stays signed: Léa's ended early for her studies, Tom's under way,
// Zoé's cancelled before it started; a host and a student left waiting; one check-in done on
// time, one done late — and checks every figure against values computed by hand; then the
// same figures from a read model rebuilt by replaying the streams; then who sees what: the
// admin sees both programmes and no one's name, a coordinator of the other programme gets 404.
func TestFiguresOfAProgramme(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")

	// Four hosts and four students registered and verified today; three pairs.
	_, roomLea := s.publishedRoom(coord)
	_, roomTom := s.publishedRoom(coord)
	_, roomZoe := s.publishedRoom(coord)
	s.publishedRoom(coord) // a host left waiting
	lea, leaID := s.applicant(coord, demo, "lea@example.org", studentBody("2004-05-06"))
	tom, tomID := s.applicant(coord, demo, "tom@example.org", studentBody("2005-09-09"))
	zoe, zoeID := s.applicant(coord, demo, "zoe@example.org", studentBody("2003-02-03"))
	s.applicant(coord, demo, "ines@example.org", studentBody("2006-07-08")) // a student left waiting

	leaStay := s.stayOf(coord, lea, roomLea, leaID)
	tomStay := s.stayOf(coord, tom, roomTom, tomID)
	zoeStay := s.stayOf(coord, zoe, roomZoe, zoeID)
	start := tomStay.str("terms", "startDate")
	if start != "2027-01-15" || leaStay.str("terms", "startDate") != start {
		t.Fatalf("the stays start on %s and %s, want 2027-01-15", leaStay.str("terms", "startDate"), start)
	}
	if end := tomStay.str("terms", "endDate"); end <= "2027-03-31" {
		t.Fatalf("Tom's stay ends %s, want after March 2027", end)
	}

	// Zoé withdraws before moving in: no stay.
	s.must(200, "POST", "/v1/contracts/"+zoeStay.str("id")+":cancel", coord, map[string]any{"reason": "Zoé renonce."})
	// Tom's first check-in done at once: on time.
	checkins := list(s.must(200, "GET", "/v1/checkins?contractId="+tomStay.str("id"), coord, nil), "checkins")
	if len(checkins) < 2 || checkins[0]["dueDate"] != "2027-01-22" || checkins[1]["dueDate"] != "2027-02-14" {
		t.Fatalf("Tom's check-ins: %v", checkins)
	}
	complete := map[string]any{"method": "CHECKIN_METHOD_PHONE", "hostWellbeing": 4, "studentWellbeing": 4, "notes": "Bien."}
	s.must(200, "POST", "/v1/checkins/"+checkins[0]["id"].(string)+":complete", coord, complete)
	// Léa gives notice for 15 February 2027 (31 days after her start), for a stated reason:
	// her words, and its category, which the figures count.
	notice := s.must(200, "POST", "/v1/contracts/"+leaStay.str("id")+":terminate", lea, map[string]any{
		"reason": "Fin d'études", "effectiveDate": "2027-02-15", "reasonCategory": "TERMINATION_REASON_STUDIES_OR_WORK"})
	if notice.str("termination", "reasonCategory") != "TERMINATION_REASON_STUDIES_OR_WORK" {
		t.Fatalf("notice: %s", notice.raw)
	}

	// The contracts service's clock moves to 24 February 2027: Léa's notice has taken effect,
	// Tom's second check-in (due 14 February, 7 days' grace) is MISSED; it is then done, late.
	paris, _ := time.LoadLocation("Europe/Paris")
	s.clock.advance(time.Date(2027, 2, 24, 12, 0, 0, 0, paris).Sub(time.Now()))
	eventually(t, "Léa's contract is terminated", func() bool {
		return s.must(200, "GET", "/v1/contracts/"+leaStay.str("id"), coord, nil).str("status") == "CONTRACT_STATUS_TERMINATED"
	})
	second := checkins[1]["id"].(string)
	eventually(t, "Tom's second check-in is missed", func() bool {
		for _, c := range list(s.must(200, "GET", "/v1/checkins?contractId="+tomStay.str("id"), coord, nil), "checkins") {
			if c["id"] == second {
				return c["status"] == "CHECKIN_STATUS_MISSED"
			}
		}
		return false
	})
	s.must(200, "POST", "/v1/checkins/"+second+":complete", coord, complete)

	// By hand, for January 2026 to March 2027: 4 hosts and 4 students registered; waiting at the end of March 2027:
	// Léa's, Zoé's and the fourth host, Léa, Zoé and Inès (Tom is placed); 3 matches proposed
	// and approved the day the applications were made (median 0 days, all within 4 months);
	// 2 stays started (Léa's and Tom's; Zoé's never did), 1 ended (Léa's, 31 days, early, for
	// her studies), 1 under way (Tom's), none over 6 months; 2 check-ins done, 1 on time.
	want := `{"programmeId":"` + demo + `","name":"Toit Partagé Lyonnais","from":"2026-01-01","to":"2027-03-31",
		"hostsRegistered":4,"studentsRegistered":4,"hostsWaiting":3,"studentsWaiting":3,
		"matchesProposed":3,"matchesApproved":3,"staysStarted":2,"staysEnded":1,"staysUnderWay":1,"staysOver6Months":0,
		"averageStayDays":31,"medianDaysToMatch":0,"matchedWithin4MonthsPercent":100,
		"earlyTerminations":1,"earlyTerminationReasons":[{"reason":"STUDIES_OR_WORK","count":1}],"checkinsDone":2,"checkinsOnTime":1}`
	var wantF figuresv1.ProgrammeFigures
	if err := protojson.Unmarshal([]byte(want), &wantF); err != nil {
		t.Fatal(err)
	}
	name := s.must(200, "GET", "/v1/programmes/"+demo, admin, nil).str("name")
	wantF.Name = name
	wantJSON := summaryJSON(t, &wantF)
	const period = "?from=2026-01-01&to=2027-03-31"
	var got reply
	var last string
	defer func() {
		if t.Failed() && last != "" {
			t.Logf("figures:\n got %s\nwant %s", last, wantJSON)
		}
	}()
	eventually(t, "the figures are the ones computed by hand", func() bool {
		got = s.must(200, "GET", "/v1/programmes/"+demo+"/figures"+period, coord, nil)
		last = figuresJSON(t, got)
		return last == wantJSON
	})
	// Counts are JSON numbers.
	if _, ok := got.body["staysStarted"].(float64); !ok {
		t.Fatalf("staysStarted is not a JSON number: %s", got.raw)
	}
	// By month: registrations and matches this month (Léa and Tom placed at its end, Zoé and
	// Inès waiting, and two hosts), the stays' starts in January 2027, the
	// early end and the late check-in in February 2027.
	months := map[string]map[string]any{}
	for _, m := range list(got, "months") {
		months[m["month"].(string)] = m
	}
	if len(months) != 15 {
		t.Fatalf("%d months", len(months))
	}
	now := time.Now().In(paris).Format("2006-01")
	if m := months[now]; m["hostsRegistered"] != 4.0 || m["matchesApproved"] != 3.0 || m["studentsWaiting"] != 2.0 || m["hostsWaiting"] != 2.0 {
		t.Errorf("%s: %v", now, m)
	}
	if m := months["2027-01"]; m["staysStarted"] != 2.0 || m["staysUnderWay"] != 2.0 || m["studentsWaiting"] != 2.0 {
		t.Errorf("January 2027: %v", m)
	}
	if m := months["2027-02"]; m["staysEnded"] != 1.0 || m["earlyTerminations"] != 1.0 || m["averageStayDays"] != 31.0 ||
		m["checkinsDone"] != 1.0 || m["checkinsOnTime"] != 0.0 || m["staysUnderWay"] != 1.0 {
		t.Errorf("February 2027: %v", m)
	}

	// The CSV of the same figures.
	req, _ := http.NewRequest("GET", s.base+"/v1/programmes/"+demo+"/figures.csv"+period, nil)
	req.Header.Set("Authorization", "Bearer "+coord)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(string(csv)), "\n")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || len(lines) != 17 ||
		!strings.HasPrefix(lines[0], "programmeId,name,from,to,month,hostsRegistered") ||
		!strings.Contains(lines[1], ",all,4,4,3,3,3,3,2,1,1,0,31,0,100,1,STUDIES_OR_WORK=1,2,1") {
		t.Fatalf("CSV: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), csv)
	}

	// A replay: a second figures service on an empty database, whose new consumers read every
	// stream from its first event, answers the same figures.
	replayed := s.figuresReplay(t)
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+coord)
	var again string
	eventually(t, "the replayed figures are the same", func() bool {
		f, err := replayed.GetProgrammeFigures(ctx, &figuresv1.GetProgrammeFiguresRequest{ProgrammeId: demo, From: "2026-01-01", To: "2027-03-31"})
		if err != nil {
			return false
		}
		again = summaryJSON(t, f)
		return again == wantJSON
	})

	// A second programme, its coordinator, one host of its own.
	other := s.must(200, "POST", "/v1/programmes", admin, map[string]any{"name": "Cohabit Nantes", "territory": "Nantes"}).str("id")
	s.must(200, "POST", "/v1/accounts", admin, map[string]any{
		"email": "coord.nantes@example.org", "password": "nantes-coordinator-pw", "role": "ROLE_COORDINATOR", "programmeId": other})
	nantes := s.login("coord.nantes@example.org", "nantes-coordinator-pw")
	s.must(200, "POST", "/v1/hosts", nantes, hostBody("1950-01-01"))
	s.must(404, "GET", "/v1/programmes/"+demo+"/figures"+period, nantes, nil)
	s.must(404, "GET", "/v1/programmes/"+demo+"/figures.csv"+period, nantes, nil)
	s.must(403, "GET", "/v1/figures"+period, nantes, nil)
	s.must(403, "GET", "/v1/programmes/"+demo+"/figures"+period, lea, nil)
	bad := s.must(400, "GET", "/v1/programmes/"+demo+"/figures?from=2027-02-30", coord, nil)
	if v := bad.violations(); len(v) != 1 || v[0] != "from" {
		t.Fatalf("a bad date: %s", bad.raw)
	}

	// The admin: both programmes side by side, the network's totals, no one's name.
	var network reply
	eventually(t, "the admin sees both programmes", func() bool {
		network = s.must(200, "GET", "/v1/figures"+period, admin, nil)
		progs := list(network, "programmes")
		var seen int
		for _, p := range progs {
			if p["programmeId"] == demo && p["staysStarted"] == 2.0 || p["programmeId"] == other && p["hostsRegistered"] == 1.0 {
				seen++
			}
		}
		n, _ := network.body["network"].(map[string]any)
		return seen == 2 && n["hostsRegistered"] == 5.0
	})
	adminDemo := s.must(200, "GET", "/v1/programmes/"+demo+"/figures"+period, admin, nil)
	if figuresJSON(t, adminDemo) != wantJSON {
		t.Fatalf("the admin's figures of the demo programme: %s", adminDemo.raw)
	}
	var raw map[string]any
	_ = json.Unmarshal([]byte(network.raw), &raw)
	for _, personal := range []string{"Jeanne", "Martin", "Léa", "Dubois", "@example.org", "rue des Lilas", "+33", "1948-03-12", "Fin d'études", "Zoé renonce"} {
		if strings.Contains(network.raw, personal) || strings.Contains(adminDemo.raw, personal) {
			t.Fatalf("the admin's figures hold %q: %s", personal, network.raw)
		}
	}
	netCSV, _ := http.NewRequest("GET", s.base+"/v1/figures.csv"+period, nil)
	netCSV.Header.Set("Authorization", "Bearer "+admin)
	if resp, err := http.DefaultClient.Do(netCSV); err != nil || resp.StatusCode != 200 {
		t.Fatalf("network CSV: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}

// figuresReplay starts one more figures service on the platform's NATS with an empty
// database and consumers of its own (figures-replay-…), and returns a client of it.
func (s *stack) figuresReplay(t *testing.T) figuresv1.FiguresServiceClient {
	t.Helper()
	ready := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		errc <- figures.Run(ctx, figures.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: s.nats, TokenKey: ed25519.PublicKey(s.tokenKey),
				Ready: func(a net.Addr) { ready <- a },
			},
			ConsumerPrefix: "figures-replay",
		}, logging.Discard())
	}()
	t.Cleanup(func() { cancel(); <-done })
	var addr string
	select {
	case a := <-ready:
		addr = a.String()
	case err := <-errc:
		t.Fatalf("the replay did not start: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the replay did not start in 30s")
	}
	cc, err := grpc.NewClient(addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return figuresv1.NewFiguresServiceClient(cc)
}

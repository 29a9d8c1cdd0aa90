package journey

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/cohabit/cohabit/services/stack/demo"
)

// demoCounts is what the demo programme holds, read through the REST API as the coordinator:
// how many records of each kind are in each state.
type demoCounts map[string]int

func (s *stack) demoCounts(coord string) demoCounts {
	s.t.Helper()
	n := demoCounts{}
	count := func(path, key, prefix string, keep func(map[string]any) bool) {
		for _, it := range list(s.must(200, "GET", path, coord, nil), key) {
			if keep == nil || keep(it) {
				st, _ := it["status"].(string)
				n[prefix+st]++
			}
		}
	}
	tagged := func(field string) func(map[string]any) bool {
		return func(it map[string]any) bool {
			v, _ := it[field].(string)
			return strings.HasSuffix(v, demo.Tag)
		}
	}
	count("/v1/hosts?pageSize=100", "hosts", "", tagged("displayName"))
	count("/v1/students?pageSize=100", "students", "", tagged("displayName"))
	count("/v1/rooms?pageSize=100", "rooms", "", tagged("description"))
	count("/v1/matches?pageSize=100", "matches", "", nil)
	count("/v1/contracts?pageSize=100", "contracts", "", nil)
	count("/v1/incidents?pageSize=100", "incidents", "", nil)
	count("/v1/checkins?pageSize=100", "checkins", "", nil)
	return n
}

// TestDemoSeed runs the seed `make run` runs on a fresh platform, checks through the API what
// a newcomer finds (a dozen hosts and students, rooms, a proposal, a meeting, a stay under way
// with its check-ins and an incident; the people's accounts sign in), then runs it again and
// checks that nothing was made twice.
func TestDemoSeed(t *testing.T) {
	t.Parallel()
	s := boot(t)
	ctx := context.Background()
	sum, err := demo.Seed(ctx, s.base, slog.New(slog.DiscardHandler), demo.Options{})
	if err != nil {
		t.Fatalf("seed: %v", err)
	}
	if sum.Already || sum.ContractID == "" || sum.IncidentID == "" {
		t.Fatalf("first seed: %+v", sum)
	}
	coord := s.login(demo.CoordinatorEmail, demo.CoordinatorPassword)
	got := s.demoComplete(coord)
	t.Logf("demo programme: %v", got)

	// The contract is the stay's, signed by both, each for herself.
	c := s.must(200, "GET", "/v1/contracts/"+sum.ContractID, coord, nil)
	if c.str("status") != "CONTRACT_STATUS_ACTIVE" || len(list(c, "signatures")) != 2 {
		t.Fatalf("the stay's contract: %s", c.raw)
	}
	// The meeting waits for Léa's answer only.
	for _, m := range list(s.must(200, "GET", "/v1/matches?status=MATCH_STATUS_MEETING_SCHEDULED", coord, nil), "matches") {
		if m["hostAccepted"] != true || m["studentAccepted"] == true {
			t.Fatalf("the scheduled meeting: %v", m)
		}
	}

	// Every person's account signs in and sees her own record.
	for _, a := range demo.Accounts {
		tok := s.login(a.Email, a.Password)
		me := s.must(200, "GET", "/v1/me", tok, nil)
		link := "hostId"
		if a.Role == "student" {
			link = "studentId"
		}
		if me.str(link) == "" || me.str("programmeId") != demo.ProgrammeID {
			t.Fatalf("%s's /v1/me: %s", a.Email, me.raw)
		}
	}
	hugo := s.login(demo.Hugo.Email, demo.Hugo.Password)
	s.must(200, "GET", "/v1/contracts/"+sum.ContractID, hugo, nil)

	// A second run finds the seed done and makes nothing.
	again, err := demo.Seed(ctx, s.base, slog.New(slog.DiscardHandler), demo.Options{})
	if err != nil {
		t.Fatalf("second seed: %v", err)
	}
	if !again.Already || again.ContractID != sum.ContractID || again.IncidentID != sum.IncidentID {
		t.Fatalf("second seed: %+v, want the first one's (%+v) found again", again, sum)
	}
	if after := s.demoCounts(coord); !equal(after, got) {
		t.Fatalf("after a second seed: %v, want %v", after, got)
	}
}

// demoComplete waits until the demo programme is in the states a finished seed leaves (events
// finish the stay: the room occupied, Hugo placed), and returns its counts.
func (s *stack) demoComplete(coord string) demoCounts {
	s.t.Helper()
	want := demoCounts{
		"HOST_STATUS_VERIFIED": 11, "HOST_STATUS_PENDING_VERIFICATION": 1,
		"STUDENT_STATUS_VERIFIED": 10, "STUDENT_STATUS_PLACED": 1, "STUDENT_STATUS_PENDING_VERIFICATION": 1,
		"ROOM_STATUS_PUBLISHED": 9, "ROOM_STATUS_DRAFT": 1, "ROOM_STATUS_OCCUPIED": 1,
		"MATCH_STATUS_PROPOSED": 1, "MATCH_STATUS_MEETING_SCHEDULED": 1, "MATCH_STATUS_APPROVED": 1,
		"CONTRACT_STATUS_ACTIVE": 1, "INCIDENT_STATUS_OPEN": 1, "CHECKIN_STATUS_DONE": 1,
	}
	var got demoCounts
	eventually(s.t, "the demo programme's states", func() bool {
		got = s.demoCounts(coord)
		for k, v := range want {
			if got[k] != v {
				return false
			}
		}
		return got["CHECKIN_STATUS_DUE"] >= 2
	})
	return got
}

// cutAfter is a transport whose connection is lost after limit requests: a seed stopped
// half-way (Ctrl-C, a crash).
type cutAfter struct {
	n     atomic.Int32
	limit int32
}

func (c *cutAfter) RoundTrip(r *http.Request) (*http.Response, error) {
	if c.n.Add(1) > c.limit {
		return nil, errors.New("connection lost")
	}
	return http.DefaultTransport.RoundTrip(r)
}

// TestDemoSeedResumes stops a seed half-way, among the students, and runs it again: the
// second run finishes it, with nobody registered twice.
func TestDemoSeedResumes(t *testing.T) {
	t.Parallel()
	s := boot(t)
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	cut := &http.Client{Transport: &cutAfter{limit: 60}}
	if _, err := demo.Seed(ctx, s.base, log, demo.Options{HTTP: cut}); err == nil || !strings.Contains(err.Error(), "connection lost") {
		t.Fatalf("seed cut after 60 requests: %v, want the lost connection", err)
	}
	sum, err := demo.Seed(ctx, s.base, log, demo.Options{})
	if err != nil {
		t.Fatalf("seed after the cut: %v", err)
	}
	if sum.Already {
		t.Fatalf("the seed after the cut says it was already done: %+v", sum)
	}
	got := s.demoComplete(s.login(demo.CoordinatorEmail, demo.CoordinatorPassword))
	if hosts := got["HOST_STATUS_VERIFIED"] + got["HOST_STATUS_PENDING_VERIFICATION"]; hosts != 12 {
		t.Fatalf("%d demo hosts after a resumed seed, want 12: %v", hosts, got)
	}
	if n := got["STUDENT_STATUS_VERIFIED"] + got["STUDENT_STATUS_PLACED"] + got["STUDENT_STATUS_PENDING_VERIFICATION"]; n != 12 {
		t.Fatalf("%d demo students after a resumed seed, want 12: %v", n, got)
	}
}

func equal(a, b demoCounts) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

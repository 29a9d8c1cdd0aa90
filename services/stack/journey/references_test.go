package journey

import (
	"slices"
	"testing"

	"github.com/google/uuid"
)

// TestBadInputIsNamedThroughTheGateway: the findings of issue 18 that reached a service as
// valid, each now a 400 naming its field, through the REST API. An application targeting
// another programme's room or a room nobody knows (the students service asks hosts, as a
// service, which programme the room is of); the days 0000-01-01 and 9999-12-31; the same
// service offered twice and 10,000 languages; an account's role left UNSPECIFIED.
func TestBadInputIsNamedThroughTheGateway(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	other := s.must(200, "POST", "/v1/programmes", admin, map[string]any{"name": "Cohabit Nantes", "territory": "Nantes"})
	s.must(200, "POST", "/v1/accounts", admin, map[string]any{
		"email": "coord.nantes@example.org", "password": "nantes-coordinator-pw", "role": "ROLE_COORDINATOR", "programmeId": other.str("id"),
	})
	nantes := s.login("coord.nantes@example.org", "nantes-coordinator-pw")
	_, foreignRoom := s.publishedRoom(nantes)
	_, ownRoom := s.publishedRoom(coord)

	refused := func(what string, r reply, field string) {
		t.Helper()
		if r.code != 400 || !slices.Contains(r.violations(), field) {
			t.Errorf("%s: %d %s, want 400 naming %s", what, r.code, r.raw, field)
		}
	}

	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "lea@example.org", "password": "lea-student-pw1", "role": "ROLE_STUDENT", "programmeId": demo})
	lea := s.login("lea@example.org", "lea-student-pw1")
	body := studentBody("2004-05-06")
	body["servicesOffered"] = []string{"SERVICE_COMPANY", "SERVICE_COMPANY"}
	refused("the same service twice", s.do("POST", "/v1/students", lea, body), "servicesOffered")
	body = studentBody("2004-05-06")
	many := make([]string, 10_000)
	for i := range many {
		many[i] = "fr"
	}
	body["languages"] = many
	refused("10,000 languages", s.do("POST", "/v1/students", lea, body), "languages")
	id := s.must(200, "POST", "/v1/students", lea, studentBody("2004-05-06")).str("id")
	s.must(200, "POST", "/v1/students/"+id+":verify", coord, map[string]any{})

	apply := func(room, moveIn string) reply {
		return s.do("POST", "/v1/students/"+id+"/applications", lea, map[string]any{"budgetCents": 20000, "moveInDate": moveIn, "roomId": room})
	}
	refused("another programme's room", apply(foreignRoom, "2027-01-15"), "roomId")
	refused("a room nobody knows", apply(uuid.NewString(), "2027-01-15"), "roomId")
	refused("moving in in year 0", apply("", "0000-01-01"), "moveInDate")
	refused("moving in in year 9999", apply("", "9999-12-31"), "moveInDate")
	if r := apply(ownRoom, "2027-01-15"); r.code != 200 || r.str("roomId") != ownRoom {
		t.Fatalf("a room of her programme: %d %s", r.code, r.raw)
	}

	refused("an UNSPECIFIED role", s.do("POST", "/v1/accounts", admin, map[string]any{
		"email": "someone@example.org", "password": "a long enough password", "role": "ROLE_UNSPECIFIED", "programmeId": demo,
	}), "role")
}

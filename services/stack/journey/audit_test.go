package journey

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// auditEntries lists a person's audit trail as the coordinator reads it.
func (s *stack) auditEntries(coord, subjectID string) []map[string]any {
	s.t.Helper()
	return list(s.must(200, "GET", "/v1/auditEvents?subjectId="+subjectID+"&pageSize=100", coord, nil), "auditEvents")
}

// TestAuditTrailListsReadsAndCannotBeAltered (SPEC §9): a coordinator's read of a host's
// record, and a list that showed her, are each one entry of her trail, with exactly the
// fields of SPEC §9 (ids and actions, no name); the trail is the programme's coordinators'
// alone; and no endpoint alters it: /openapi.json has no operation on it but the list, every
// other method on its path is refused, and the trail reads the same afterwards (the table's
// trigger refusing UPDATE and DELETE is TestTheTrailCannotBeAltered, in identity).
func TestAuditTrailListsReadsAndCannotBeAltered(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	me := s.must(200, "GET", "/v1/me", coord, nil)
	hostID, _ := s.publishedRoom(coord)
	s.must(200, "GET", "/v1/hosts/"+hostID, coord, nil)
	s.must(200, "GET", "/v1/hosts?pageSize=50", coord, nil)

	byMethod := func(entries []map[string]any, suffix string) map[string]any {
		for _, e := range entries {
			if m, _ := e["method"].(string); strings.HasSuffix(m, suffix) {
				return e
			}
		}
		return nil
	}
	var entries []map[string]any
	eventually(t, "the read and the list are in the host's trail", func() bool {
		r := s.do("GET", "/v1/auditEvents?subjectId="+hostID, coord, nil)
		entries = list(r, "auditEvents")
		return r.code == 200 && byMethod(entries, "/GetHost") != nil && byMethod(entries, "/ListHosts") != nil
	})
	read := byMethod(entries, "/GetHost")
	want := map[string]any{"actorId": me.str("id"), "actorRole": "ROLE_COORDINATOR", "action": "AUDIT_ACTION_READ",
		"subjectId": hostID, "subjectType": "SUBJECT_TYPE_HOST", "method": "/cohabit.hosts.v1.HostService/GetHost"}
	for k, v := range want {
		if read[k] != v {
			t.Errorf("the read's %s = %v, want %v (%v)", k, read[k], v, read)
		}
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range read {
			if !yield(k) {
				return
			}
		}
	})
	if fmt.Sprint(keys) != "[action actorId actorRole method subjectId subjectType time]" {
		t.Errorf("an entry's fields: %v, want SPEC §9's", keys)
	}
	// The registration and verification were changes by the coordinator: in the trail too.
	if e := byMethod(entries, "/VerifyHost"); e == nil || e["action"] != "AUDIT_ACTION_CHANGE" {
		t.Errorf("the verification in the trail: %v", e)
	}
	raw, _ := json.Marshal(entries)
	if strings.Contains(string(raw), "Jeanne") {
		t.Errorf("the trail holds a name: %s", raw)
	}

	// Whose it is: the programme's coordinators; not the admin, not another programme.
	other := s.must(200, "POST", "/v1/programmes", admin, map[string]any{"name": "Cohabit Brest", "territory": "Brest"})
	s.must(200, "POST", "/v1/accounts", admin, map[string]any{"email": "coord.brest@example.org", "password": "brest-coordinator-pw", "role": "ROLE_COORDINATOR", "programmeId": other.str("id")})
	brest := s.login("coord.brest@example.org", "brest-coordinator-pw")
	s.must(404, "GET", "/v1/auditEvents?subjectId="+hostID, brest, nil)
	s.must(403, "GET", "/v1/auditEvents?subjectId="+hostID, admin, nil)
	s.must(401, "GET", "/v1/auditEvents?subjectId="+hostID, "", nil)
	if bad := s.must(400, "GET", "/v1/auditEvents?subjectId=nobody", coord, nil); !slices.Contains(bad.violations(), "subjectId") {
		t.Errorf("a bad subjectId: %s", bad.raw)
	}

	// No endpoint alters it.
	for _, op := range s.operations() {
		if strings.Contains(strings.ToLower(op.path), "audit") && op.method != "GET" {
			t.Errorf("an operation may change the audit trail: %s %s", op.method, op.path)
		}
	}
	before := s.auditEntries(coord, hostID)
	first, _ := before[len(before)-1]["time"].(string)
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		for _, path := range []string{"/v1/auditEvents", "/v1/auditEvents?subjectId=" + hostID, "/v1/auditEvents/" + hostID, "/v1/auditEvents:purge"} {
			for _, tok := range []string{coord, admin} {
				r := s.do(method, path, tok, map[string]any{"subjectId": hostID, "actorId": "someone", "time": first})
				if r.code < 400 {
					t.Errorf("%s %s answered %d: %s", method, path, r.code, r.raw)
				}
			}
		}
	}
	after := s.auditEntries(coord, hostID)
	// Listing the trail is itself a coordinator's read naming her, and facts from several
	// services arrive in any order: the trail may only have grown, every entry as it was.
	kept := map[string]bool{}
	for _, e := range after {
		kept[fmt.Sprint(e)] = true
	}
	for _, e := range before {
		if !kept[fmt.Sprint(e)] {
			t.Errorf("an entry changed or went: %v", e)
		}
	}
}

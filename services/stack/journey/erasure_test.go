package journey

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/deskevents"
	"github.com/cohabit/cohabit/proto/eventcat/figuresevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/platform/erasure"
	"github.com/cohabit/cohabit/services/platform/pgtest"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// person is what must disappear: the words a search for them would use.
type person struct {
	name, email, phone string
}

// needles are the strings searched for (case aside): the name, the email, the phone as
// typed and as digits without the country code (a phone may be stored normalised).
func (p person) needles() []string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, p.phone)
	return []string{p.name, p.email, p.phone, digits[2:]}
}

// erasureServices are the services whose databases must each have applied an erasure: the
// owner (hosts or students) and every consumer (identity, the other of hosts and students,
// matching, contracts, notifications, desk, figures — which keeps counts only, and the id).
const erasureServices = 8

// TestErasureLeavesNothingButTheSealedContract walks a student and an assisted host through a
// whole stay (SPEC §2), shows that neither can be erased while the match is approved or the
// stay under way, erases both once the stay is over, and then searches every GET endpoint of
// /openapi.json (as the coordinator and as the admin) and every text, varchar, json, jsonb
// and bytea column of every table of every service's database for their names, emails and
// phones: found nowhere but in the sealed contract. The same erasure delivered again, and an
// event older than the erasure delivered after it, change nothing.
func TestErasureLeavesNothingButTheSealedContract(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")

	ottilie := person{name: "Ottilie Vandersteen", email: "ottilie.vandersteen@erasure.example", phone: "+33 6 98 76 54 31"}
	barnabe := person{name: "Barnabe Quillevere", email: "barnabe.quillevere@erasure.example", phone: "+33 4 72 98 76 12"}

	// The host, registered by the coordinator (assisted), and a room named after him.
	hb := hostBody("1948-03-12")
	hb["displayName"], hb["email"], hb["phone"] = barnabe.name, barnabe.email, barnabe.phone
	h := s.must(200, "POST", "/v1/hosts", coord, hb)
	hostID := h.str("id")
	s.must(200, "POST", "/v1/hosts/"+hostID+":verify", coord, map[string]any{})
	rb := roomBody()
	rb["title"], rb["description"] = "La chambre de "+barnabe.name, "Appeler "+barnabe.name+" au "+barnabe.phone
	roomID := s.must(200, "POST", "/v1/hosts/"+hostID+"/rooms", coord, rb).str("id")
	s.must(200, "POST", "/v1/rooms/"+roomID+":publish", coord, map[string]any{})

	// The student, who signs up herself.
	sb := studentBody("2004-05-06")
	sb["displayName"], sb["email"], sb["phone"] = ottilie.name, ottilie.email, ottilie.phone
	sb["motivation"] = "Je suis " + ottilie.name + ", joignable au " + ottilie.phone
	tok, studentID := s.applicant(coord, demo, ottilie.email, sb)

	// A document of hers whose file names her, and a coordinator's note about her.
	for _, d := range s.documentsOf(coord, studentID) {
		if d["kind"] != "DOCUMENT_KIND_IDENTITY" { // an identity paper's file goes once verified
			pdf := []byte("%PDF-1.4\n% Attestation pour " + ottilie.name + ", " + ottilie.phone + "\n%%EOF\n")
			s.must(200, "POST", "/v1/documents/"+d["id"].(string)+":upload", tok, map[string]any{"fileName": "attestation-vandersteen.pdf",
				"contentType": "application/pdf", "content": base64.StdEncoding.EncodeToString(pdf)})
			break
		}
	}
	s.must(200, "POST", "/v1/notes", coord, map[string]any{"subjectId": studentID, "body": "Appelé " + ottilie.name + " au " + ottilie.phone + "."})

	// Proposed, met, accepted, approved.
	eventually(t, "the student is a candidate", func() bool {
		r := s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil)
		return r.code == 200 && len(list(r, "candidates")) == 1
	})
	matchID := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": studentID}).str("id")
	s.must(200, "POST", "/v1/matches/"+matchID+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(200, "POST", "/v1/matches/"+matchID+":accept", tok, map[string]any{})
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
	eventually(t, "the room is reserved and the application matched", func() bool {
		apps := list(s.must(200, "GET", "/v1/students/"+studentID+"/applications", coord, nil), "applications")
		return s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_RESERVED" &&
			len(apps) == 1 && apps[0]["status"] == "APPLICATION_STATUS_MATCHED"
	})

	// Approved: neither may be erased (SPEC §9), and nobody but a coordinator may try.
	for _, path := range []string{"/v1/students/" + studentID + ":erase", "/v1/hosts/" + hostID + ":erase"} {
		if r := s.must(400, "POST", path, coord, map[string]any{"reason": "on request"}); r.reason() != "STAY_AGREED_OR_UNDER_WAY" {
			t.Fatalf("erasure during an approved match: %s", r.raw)
		}
		s.must(403, "POST", path, tok, map[string]any{})
		s.must(403, "POST", path, admin, map[string]any{})
	}

	// Signed, followed (with words about the student in the check-in and the incident),
	// ended by notice.
	s.must(200, "POST", "/v1/contracts/"+contractID+":send", coord, map[string]any{})
	s.must(200, "POST", "/v1/contracts/"+contractID+":sign", coord, map[string]any{"party": "PARTY_HOST", "method": "SIGNATURE_METHOD_PAPER"})
	eventually(t, "the student sees her contract", func() bool { return s.do("GET", "/v1/contracts/"+contractID, tok, nil).code == 200 })
	s.must(200, "POST", "/v1/contracts/"+contractID+":sign", tok, map[string]any{})
	eventually(t, "the student is placed", func() bool {
		return s.must(200, "GET", "/v1/students/"+studentID, coord, nil).str("status") == "STUDENT_STATUS_PLACED"
	})
	if r := s.must(400, "POST", "/v1/students/"+studentID+":erase", coord, map[string]any{}); r.reason() != "STAY_AGREED_OR_UNDER_WAY" {
		t.Fatalf("erasure during the stay: %s", r.raw)
	}
	checkins := list(s.must(200, "GET", "/v1/checkins?contractId="+contractID, coord, nil), "checkins")
	if len(checkins) == 0 {
		t.Fatal("no check-in scheduled")
	}
	checkinID := checkins[0]["id"].(string)
	s.must(200, "POST", "/v1/checkins/"+checkinID+":complete", coord, map[string]any{
		"method": "CHECKIN_METHOD_VISIT", "hostWellbeing": 5, "studentWellbeing": 4, "notes": ottilie.name + " s'entend bien avec " + barnabe.name + ".",
	})
	incidentID := s.must(200, "POST", "/v1/contracts/"+contractID+"/incidents", tok, map[string]any{
		"severity": "SEVERITY_LOW", "category": "NOISE", "description": "Rappeler " + ottilie.name + " au " + ottilie.phone,
	}).str("id")
	s.must(200, "POST", "/v1/contracts/"+contractID+":terminate", tok, map[string]any{"reason": "Fin d'études", "effectiveDate": time.Now().AddDate(0, 0, 45).Format("2006-01-02")})
	s.clock.advance(46 * 24 * time.Hour)
	eventually(t, "the stay is over for everyone", func() bool {
		return s.must(200, "GET", "/v1/contracts/"+contractID, coord, nil).str("status") == "CONTRACT_STATUS_TERMINATED" &&
			s.must(200, "GET", "/v1/students/"+studentID, coord, nil).str("status") == "STUDENT_STATUS_VERIFIED" &&
			s.must(200, "GET", "/v1/rooms/"+roomID, coord, nil).str("status") == "ROOM_STATUS_PUBLISHED" &&
			s.must(200, "GET", "/v1/matches/"+matchID, coord, nil).str("status") == "MATCH_STATUS_COMPLETED"
	})
	// She applies again, so that the pool holds her when she is erased.
	s.must(200, "POST", "/v1/students/"+studentID+"/applications", tok, map[string]any{"budgetCents": 20000, "moveInDate": "2027-09-01"})

	// Erasure of the student, then of the host.
	dbs := &databases{t: t}
	erasedAt := time.Now()
	r := s.must(200, "POST", "/v1/students/"+studentID+":erase", coord, map[string]any{"reason": "à sa demande"})
	if strings.TrimSpace(r.raw) != "{}" {
		t.Errorf("erase answered %s, want {}", r.raw)
	}
	dbs.waitErased(studentID)
	t.Logf("the student's erasure applied by every service within %v", time.Since(erasedAt).Round(time.Millisecond))
	s.must(404, "GET", "/v1/students/"+studentID, coord, nil)
	s.must(404, "POST", "/v1/students/"+studentID+":erase", coord, map[string]any{})
	// Her account is gone: her token names no one. (Her sign-in is not tried: a failed
	// sign-in records the email typed in identity's lockout table, see the report.)
	if r := s.do("GET", "/v1/me", tok, nil); r.code == 200 {
		t.Errorf("the erased student's token still reads her account: %s", r.raw)
	}
	// The other party's contract works on, her name replaced.
	c := s.must(200, "GET", "/v1/contracts/"+contractID, coord, nil)
	if c.str("studentDisplayName") != erasure.Placeholder || c.str("hostDisplayName") != barnabe.name {
		t.Errorf("the host's contract after the student's erasure: %s", c.raw)
	}
	s.must(200, "POST", "/v1/hosts/"+hostID+":erase", coord, map[string]any{"reason": "fin de la conservation"})
	dbs.waitErased(hostID)
	s.must(404, "GET", "/v1/hosts/"+hostID, coord, nil)
	s.must(404, "GET", "/v1/rooms/"+roomID, coord, nil)

	ids := map[string]string{"students": studentID, "hosts": hostID, "rooms": roomID, "matches": matchID,
		"contracts": contractID, "checkins": checkinID, "incidents": incidentID, "programmes": demo}
	check := func(when string) {
		t.Helper()
		for _, p := range []person{ottilie, barnabe} {
			if found := s.searchEndpoints(ids, p, coord, admin); len(found) > 0 {
				t.Errorf("%s: %s found by the API: %v", when, p.name, found)
			}
			found := dbs.search(p)
			sealed := slices.ContainsFunc(found, func(f string) bool { return strings.Contains(f, ".sealed_contracts.") })
			others := slices.DeleteFunc(slices.Clone(found), func(f string) bool { return strings.Contains(f, ".sealed_contracts.") })
			if len(others) > 0 || !sealed {
				t.Errorf("%s: %s in the databases at %v; want only (and at least) the sealed contract", when, p.name, found)
			}
		}
	}
	check("after the erasures")

	// The same erasure again, under a new event id, and a profile older than the erasure
	// arriving after it: nothing comes back, nothing is applied twice.
	again, err := erasure.Event(erasure.Person{ID: studentID, Kind: erasure.Student, ProgrammeID: demo}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	svctest.PublishEnvelope(t, s.js, again)
	late := svctest.Publish(t, s.js, studentsevents.StudentUpdated.Subject, demo, &studentseventsv1.StudentUpdated{Student: &studentseventsv1.StudentProfile{
		StudentId: studentID, ProgrammeId: demo, Status: "VERIFIED", DisplayName: ottilie.name, Age: 22, StudyCity: "Lyon",
	}})
	dbs.waitHandled(again, erasureServices) // every service follows erasures, the owner too
	dbs.waitHandled(late, 2)                // matching (pool) and contracts (parties) follow profiles
	check("after a second erasure and a late profile")
	if n := dbs.count("sealed_contracts"); n != 1 {
		t.Errorf("%d sealed contracts, want 1", n)
	}

	// What is left of them in NATS goes with the streams' maximum age (events carry display
	// names): every stream has one, at most 30 days by default.
	ctx := context.Background()
	for _, name := range []string{identityevents.Stream.Name, hostsevents.Stream.Name, studentsevents.Stream.Name, matchingevents.Stream.Name, contractsevents.Stream.Name, notificationsevents.Stream.Name, deskevents.Stream.Name, figuresevents.Stream.Name} {
		st, err := s.js.Stream(ctx, name)
		if err != nil {
			t.Errorf("stream %s: %v", name, err)
			continue
		}
		if age := st.CachedInfo().Config.MaxAge; age <= 0 || age > 30*24*time.Hour {
			t.Errorf("stream %s keeps events for %v, want a maximum age of at most 30 days", name, age)
		}
	}
}

// searchEndpoints calls every GET operation of /openapi.json with the stay's ids in its path
// and query, as each caller, and returns where p's needles appear.
func (s *stack) searchEndpoints(ids map[string]string, p person, callers ...string) []string {
	s.t.Helper()
	m := &matrix{s: s, ids: ids}
	var found []string
	calls := 0
	for _, op := range s.operations() {
		if op.method != "GET" || strings.Contains(op.path, "/auth/") {
			continue
		}
		path, _ := m.fill(op.path, pathParam)
		q := url.Values{}
		for _, name := range op.query {
			switch name {
			case "query":
				q.Set(name, p.name)
			case "pageSize":
				q.Set(name, "100")
			case "subjectId", "recipientId", "ownerId", "studentId":
				q.Set(name, ids["students"])
			case "hostId":
				q.Set(name, ids["hosts"])
			case "roomId":
				q.Set(name, ids["rooms"])
			case "contractId":
				q.Set(name, ids["contracts"])
			case "matchId":
				q.Set(name, ids["matches"])
			case "programmeId":
				q.Set(name, ids["programmes"])
			}
		}
		if len(q) > 0 {
			path += "?" + q.Encode()
		}
		for _, tok := range callers {
			r := s.do("GET", path, tok, nil)
			calls++
			body := strings.ToLower(r.raw)
			for _, n := range p.needles() {
				if strings.Contains(body, strings.ToLower(n)) {
					found = append(found, fmt.Sprintf("GET %s (%d) has %q", path, r.code, n))
				}
			}
		}
	}
	if calls < 20 {
		s.t.Fatalf("only %d endpoint calls: /openapi.json lists too few GET operations", calls)
	}
	s.t.Logf("searched %d GET calls for %s", calls, p.name)
	return found
}

// databases are the databases of this test process's services, found in the PostgreSQL
// cluster by pgtest's naming (t_<pid>_<random>): those whose erased_people holds the id
// erased are the stack's, one per service.
type databases struct {
	t    *testing.T
	urls []string // the stack's, once found
}

func (d *databases) all() []string {
	d.t.Helper()
	ctx := context.Background()
	base, err := url.Parse(pgtest.NewURL(d.t, "empty", noMigration))
	if err != nil {
		d.t.Fatal(err)
	}
	conn, err := pgx.Connect(ctx, base.String())
	if err != nil {
		d.t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`,
		fmt.Sprintf("t\\_%d\\_%%", os.Getpid()))
	if err != nil {
		d.t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		d.t.Fatal(err)
	}
	out := make([]string, 0, len(names))
	for _, n := range names {
		u := *base
		u.Path = "/" + n
		out = append(out, u.String())
	}
	return out
}

// withEach runs fn on each database of urls; a database dropped meanwhile (another test's,
// finishing) is skipped.
func (d *databases) withEach(urls []string, fn func(ctx context.Context, name string, conn *pgx.Conn) error) {
	d.t.Helper()
	ctx := context.Background()
	for _, u := range urls {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			continue
		}
		err = fn(ctx, conn.Config().Database, conn)
		conn.Close(ctx)
		if err != nil {
			d.t.Fatalf("%s: %v", u, err)
		}
	}
}

// waitErased waits until every service's database has applied id's erasure, and keeps
// them as the stack's.
func (d *databases) waitErased(id string) {
	d.t.Helper()
	var with []string
	eventually(d.t, "every service applies the erasure", func() bool {
		with = with[:0]
		all := d.all()
		d.withEach(all, func(ctx context.Context, name string, conn *pgx.Conn) error {
			var ok bool
			err := conn.QueryRow(ctx, `SELECT to_regclass('erased_people') IS NOT NULL
				AND EXISTS (SELECT 1 FROM erased_people WHERE id = $1)`, id).Scan(&ok)
			if err != nil {
				// to_regclass is checked first, but PostgreSQL may still plan the EXISTS.
				ok = false
			}
			if ok {
				with = append(with, conn.Config().ConnString())
			}
			return nil
		})
		return len(with) >= erasureServices
	})
	d.urls = slices.Clone(with)
}

// waitHandled waits until n of the stack's databases have claimed e in their inbox.
func (d *databases) waitHandled(e *eventsv1.Envelope, n int) {
	d.t.Helper()
	eventually(d.t, "the event "+e.GetType()+" is handled", func() bool {
		got := 0
		d.withEach(d.urls, func(ctx context.Context, _ string, conn *pgx.Conn) error {
			var ok bool
			if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM inbox WHERE event_id = $1)`, e.GetId()).Scan(&ok); err != nil {
				return err
			}
			if ok {
				got++
			}
			return nil
		})
		return got >= n
	})
}

// count returns the rows of table across the stack's databases that have it.
func (d *databases) count(table string) int {
	total := 0
	d.withEach(d.urls, func(ctx context.Context, _ string, conn *pgx.Conn) error {
		var n int
		err := conn.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{table}.Sanitize()).Scan(&n)
		if err == nil {
			total += n
		}
		return nil
	})
	return total
}

// search looks for p's needles in every text, varchar, char, json, jsonb, text[] and bytea
// column of every table of the stack's databases, and returns "<service>.<table>.<column>"
// for each hit (the service named by the table it owns).
func (d *databases) search(p person) []string {
	d.t.Helper()
	var found []string
	columns := 0
	d.withEach(d.urls, func(ctx context.Context, _ string, conn *pgx.Conn) error {
		service := serviceOf(ctx, conn)
		rows, err := conn.Query(ctx, `SELECT c.table_schema, c.table_name, c.column_name, c.data_type
			FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE t.table_type = 'BASE TABLE' AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
			  AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'bytea') OR c.udt_name IN ('_text', '_varchar'))`)
		if err != nil {
			return err
		}
		type col struct{ schema, table, column, typ string }
		cols, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (col, error) {
			var c col
			return c, r.Scan(&c.schema, &c.table, &c.column, &c.typ)
		})
		if err != nil {
			return err
		}
		for _, c := range cols {
			columns++
			ident := pgx.Identifier{c.schema, c.table}.Sanitize()
			colID := pgx.Identifier{c.column}.Sanitize()
			for _, n := range p.needles() {
				q := `SELECT count(*) FROM ` + ident + ` WHERE position(lower($1) IN lower(` + colID + `::text)) > 0`
				if c.typ == "bytea" {
					// Encoded messages (the outbox's envelopes) hold the words as they were
					// written, byte for byte.
					q = `SELECT count(*) FROM ` + ident + ` WHERE position(convert_to($1, 'UTF8') IN ` + colID + `) > 0
						OR position(convert_to(lower($1), 'UTF8') IN ` + colID + `) > 0`
				}
				var hits int
				if err := conn.QueryRow(ctx, q, n).Scan(&hits); err != nil {
					return fmt.Errorf("search %s.%s: %w", c.table, c.column, err)
				}
				if hits > 0 {
					found = append(found, fmt.Sprintf("%s.%s.%s (%q)", service, c.table, c.column, n))
				}
			}
		}
		return nil
	})
	if columns < 50 {
		d.t.Fatalf("only %d columns searched: the stack's databases were not all found", columns)
	}
	d.t.Logf("searched %d columns of %d databases for %s", columns, len(d.urls), p.name)
	return found
}

// serviceOf names a service by a table only it has (figures, which has hosts and students
// tables of its own, first).
func serviceOf(ctx context.Context, conn *pgx.Conn) string {
	for _, o := range [][2]string{{"status_changes", "figures"}, {"accounts", "identity"}, {"pool_rooms", "matching"},
		{"sealed_contracts", "contracts"}, {"reminders", "notifications"}, {"document_files", "desk"}, {"room_holds", "hosts"},
		{"placements", "students"}} {
		var ok bool
		if err := conn.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, o[0]).Scan(&ok); err == nil && ok {
			return o[1]
		}
	}
	return conn.Config().Database
}

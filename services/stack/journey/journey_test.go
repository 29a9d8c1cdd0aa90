// Package journey boots every service (identity, hosts, students, matching, contracts) and the gateway in one process, against real
// PostgreSQL and NATS JetStream, and walks the platform over HTTP as its users would.
package journey

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	gateway "github.com/cohabit/cohabit/gateway/service"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	contracts "github.com/cohabit/cohabit/services/contracts/service"
	desk "github.com/cohabit/cohabit/services/desk/service"
	figures "github.com/cohabit/cohabit/services/figures/service"
	hosts "github.com/cohabit/cohabit/services/hosts/service"
	identity "github.com/cohabit/cohabit/services/identity/service"
	matching "github.com/cohabit/cohabit/services/matching/service"
	"github.com/cohabit/cohabit/services/notifications/mailsink"
	notifications "github.com/cohabit/cohabit/services/notifications/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	platformboot "github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pgtest"
	students "github.com/cohabit/cohabit/services/students/service"
)

// stack is the running platform as a client sees it.
type stack struct {
	t     *testing.T
	base  string
	js    jetstream.JetStream
	clock *clock
	// identity is the identity service's gRPC address, and service signs the tokens a
	// service (the notifications service, which emails invitation codes) calls it with.
	identity string
	service  *auth.ServiceIssuer
	// mail is the SMTP server the notifications service sends to (a real one).
	mail *mailsink.Sink
	// nats and tokenKey let a test start one more service on the platform's NATS (the figures
	// replayed into an empty read model).
	nats     string
	tokenKey []byte
	// policies are the policy tables of the services booted (matrix_test.go).
	policies *policies
	// fives collects every 5xx answer: none is acceptable.
	mu    sync.Mutex
	fives []string
}

// clock is the time the contracts service sees: the journey moves it to reach due dates.
type clock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}

// Services migrate their own databases on start: the test only hands them empty ones.
func noMigration(context.Context, string) error { return nil }

func boot(t *testing.T) *stack {
	t.Helper()
	ns := natstest.New(t)
	pub, priv, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	_, svcKey, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	log := logging.Discard()
	clk := &clock{}
	// Every service hands its policy over as it starts: the authorization matrix reads them.
	pols := &policies{byService: map[string]grpcx.Policy{}}
	ctx, cancel := context.WithCancel(platformboot.WithPolicies(context.Background(), pols.see))
	var wg sync.WaitGroup
	errc := make(chan error, 10)
	launch := func(name string, run func(context.Context) error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := run(ctx); err != nil {
				errc <- fmt.Errorf("%s: %w", name, err)
			}
		}()
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Errorf("service stopped with %v", err)
		}
	})
	wait := func(name string, c chan net.Addr) string {
		select {
		case a := <-c:
			return a.String()
		case err := <-errc:
			t.Fatalf("%s did not start: %v", name, err)
		case <-time.After(30 * time.Second):
			t.Fatalf("%s did not start in 30s", name)
		}
		return ""
	}

	// The addresses hosts and students bind, for contracts to read them.
	var bound sync.Map
	idReady, hostsReady, studentsReady, matchingReady, contractsReady, gwReady := make(chan net.Addr, 1), make(chan net.Addr, 1), make(chan net.Addr, 1), make(chan net.Addr, 1), make(chan net.Addr, 1), make(chan net.Addr, 1)
	launch("identity", func(ctx context.Context) error {
		return identity.Run(ctx, identity.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: ns.URL(),
				Ready:   func(a net.Addr) { bound.Store("identity", a.String()); idReady <- a },
				Service: auth.ServiceKeys{Private: svcKey},
			},
			SigningKey:      priv,
			TokenTTL:        time.Hour,
			Argon2Time:      1,
			Argon2MemoryKiB: 64,
			Argon2Threads:   1,
			DevSeed:         true,
		}, log)
	})
	launch("hosts", func(ctx context.Context) error {
		return hosts.Run(ctx, hosts.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration), NATSURL: ns.URL(),
				TokenKey: pub, Service: auth.ServiceKeys{Private: svcKey},
				Ready: func(a net.Addr) { bound.Store("hosts", a.String()); hostsReady <- a },
			},
		}, log)
	})
	launch("students", func(ctx context.Context) error {
		return students.Run(ctx, students.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: ns.URL(), TokenKey: pub, Service: auth.ServiceKeys{Private: svcKey},
				Ready: func(a net.Addr) { bound.Store("students", a.String()); studentsReady <- a },
				// An application's room is read from hosts, as a service, where it bound.
				AddrOf: func(name string) string {
					v, _ := bound.Load(name)
					s, _ := v.(string)
					return s
				},
			},
		}, log)
	})
	launch("matching", func(ctx context.Context) error {
		return matching.Run(ctx, matching.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: ns.URL(), TokenKey: pub, Ready: func(a net.Addr) { matchingReady <- a },
			},
		}, log)
	})
	launch("contracts", func(ctx context.Context) error {
		return contracts.Run(ctx, contracts.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: ns.URL(), TokenKey: pub, Ready: func(a net.Addr) { contractsReady <- a },
				// The contract documents read the parties from hosts and students as a service.
				Service: auth.ServiceKeys{Private: svcKey},
				AddrOf: func(name string) string {
					v, _ := bound.Load(name)
					s, _ := v.(string)
					return s
				},
			},
			Now:         clk.now,
			JobInterval: 200 * time.Millisecond,
		}, log)
	})
	sink, err := mailsink.Start("127.0.0.1:0", t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sink.Close() })
	notificationsReady := make(chan net.Addr, 1)
	launch("notifications", func(ctx context.Context) error {
		return notifications.Run(ctx, notifications.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: ns.URL(), TokenKey: pub, Service: auth.ServiceKeys{Private: svcKey},
				AddrOf: func(name string) string {
					v, _ := bound.Load(name)
					s, _ := v.(string)
					return s
				},
				Ready: func(a net.Addr) { notificationsReady <- a },
			},
			SMTPURL:          sink.URL(),
			MailFrom:         "no-reply@cohabit.test",
			PublicURL:        "http://localhost:8080",
			DispatchInterval: 200 * time.Millisecond,
			RetryBase:        time.Second,
		}, log)
	})
	figuresReady := make(chan net.Addr, 1)
	launch("figures", func(ctx context.Context) error {
		return figures.Run(ctx, figures.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: ns.URL(), TokenKey: pub, Ready: func(a net.Addr) { figuresReady <- a },
			},
		}, log)
	})
	deskReady := make(chan net.Addr, 1)
	launch("desk", func(ctx context.Context) error {
		return desk.Run(ctx, desk.Config{
			Config: platformboot.Config{
				GRPCAddr: "127.0.0.1:0", DatabaseURL: pgtest.NewURL(t, "empty", noMigration),
				NATSURL: ns.URL(), TokenKey: pub, Ready: func(a net.Addr) { deskReady <- a },
			},
			Now:            clk.now,
			ExpiryInterval: 200 * time.Millisecond,
		}, log)
	})
	idAddr := wait("identity", idReady)
	hostsAddr := wait("hosts", hostsReady)
	studentsAddr := wait("students", studentsReady)
	matchingAddr := wait("matching", matchingReady)
	contractsAddr := wait("contracts", contractsReady)
	notificationsAddr := wait("notifications", notificationsReady)
	figuresAddr := wait("figures", figuresReady)
	deskAddr := wait("desk", deskReady)
	launch("gateway", func(ctx context.Context) error {
		return gateway.Run(ctx, gateway.Config{
			// The journeys sign many people in from one address; the per-address limit has
			// its own test (gateway/internal/middleware).
			AuthBurst: -1,
			HTTPAddr:  "127.0.0.1:0",
			Backends: map[string]string{"identity": idAddr, "hosts": hostsAddr, "students": studentsAddr, "matching": matchingAddr, "contracts": contractsAddr, "notifications": notificationsAddr, "figures": figuresAddr,
				"desk": deskAddr},
			Ready: func(a net.Addr) { gwReady <- a },
		}, log)
	})
	s := &stack{t: t, base: "http://" + wait("gateway", gwReady), clock: clk, policies: pols,
		identity: idAddr, service: auth.NewServiceIssuer(svcKey, "notifications"), mail: sink, nats: ns.URL(), tokenKey: pub}
	_, js, err := natsx.Connect(ns.URL(), "journey", log)
	if err != nil {
		t.Fatal(err)
	}
	s.js = js
	t.Cleanup(func() {
		if len(s.fives) > 0 {
			t.Errorf("server errors: %v", s.fives)
		}
	})
	return s
}

type reply struct {
	code int
	body map[string]any
	raw  string
}

func (r reply) str(path ...string) string {
	var v any = r.body
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// violations returns the fields of the BadRequest details of an error reply.
func (r reply) violations() []string {
	var out []string
	details, _ := r.body["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		fvs, _ := m["fieldViolations"].([]any)
		for _, fv := range fvs {
			f, _ := fv.(map[string]any)
			out = append(out, fmt.Sprint(f["field"]))
		}
	}
	return out
}

func (r reply) reason() string {
	details, _ := r.body["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if reason, ok := m["reason"].(string); ok {
			return reason
		}
	}
	return ""
}

func (s *stack) do(method, path, token string, body any) reply {
	s.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			s.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, s.base+path, rd)
	if err != nil {
		s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{code: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	if resp.StatusCode >= 500 {
		s.mu.Lock()
		s.fives = append(s.fives, fmt.Sprintf("%s %s: %d %s", method, path, resp.StatusCode, raw))
		s.mu.Unlock()
	}
	return r
}

func (s *stack) must(want int, method, path, token string, body any) reply {
	s.t.Helper()
	r := s.do(method, path, token, body)
	if r.code != want {
		s.t.Fatalf("%s %s: got %d, want %d: %s", method, path, r.code, want, r.raw)
	}
	return r
}

func (s *stack) login(email, password string) string {
	s.t.Helper()
	r := s.must(200, "POST", "/v1/auth/login", "", map[string]any{"email": email, "password": password})
	tok := r.str("accessToken")
	if tok == "" || r.str("expiresAt") == "" {
		s.t.Fatalf("login gave no token: %s", r.raw)
	}
	return tok
}

func hostBody(birth string) map[string]any {
	return map[string]any{
		"displayName": "Jeanne Martin", "birthDate": birth, "phone": "+33 4 78 00 00 00",
		"address":   map[string]any{"line1": "3 rue des Lilas", "postcode": "69003", "city": "Lyon", "lat": 45.76, "lng": 4.85},
		"languages": []string{"fr"}, "servicesWanted": []string{"SERVICE_COMPANY", "SERVICE_MEALS"},
		"hoursWantedPerWeek": 3, "nightsWantedPerWeek": 4, "rhythm": "RHYTHM_EARLY",
		"assisted": true, "consentRecorded": true,
	}
}

func roomBody() map[string]any {
	return map[string]any{
		"title": "Chambre sur jardin", "areaM2": 12, "furnished": true, "monthlyContributionCents": 15000,
		"sharedSpaces": []string{"cuisine", "salon"}, "availableFrom": "2027-01-01",
	}
}

func TestCoordinatorRegistersVerifiesAndPublishes(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")

	me := s.must(200, "GET", "/v1/me", coord, nil)
	if me.str("role") != "ROLE_COORDINATOR" || me.str("programmeId") == "" {
		t.Fatalf("/v1/me: %s", me.raw)
	}
	programme := me.str("programmeId")

	h := s.must(200, "POST", "/v1/hosts", coord, hostBody("1948-03-12"))
	id := h.str("id")
	if h.str("status") != "HOST_STATUS_PENDING_VERIFICATION" || h.str("programmeId") != programme || h.str("etag") == "" {
		t.Fatalf("created host: %s", h.raw)
	}
	v := s.must(200, "POST", "/v1/hosts/"+id+":verify", coord, map[string]any{})
	if v.str("status") != "HOST_STATUS_VERIFIED" || v.str("verifiedTime") == "" {
		t.Fatalf("verified host: %s", v.raw)
	}
	room := s.must(200, "POST", "/v1/hosts/"+id+"/rooms", coord, roomBody())
	if room.str("status") != "ROOM_STATUS_DRAFT" || room.str("hostId") != id {
		t.Fatalf("created room: %s", room.raw)
	}
	pub := s.must(200, "POST", "/v1/rooms/"+room.str("id")+":publish", coord, map[string]any{})
	if pub.str("status") != "ROOM_STATUS_PUBLISHED" {
		t.Fatalf("published room: %s", pub.raw)
	}
	list := s.must(200, "GET", "/v1/rooms?status=ROOM_STATUS_PUBLISHED&city=Lyon", coord, nil)
	if rooms, _ := list.body["rooms"].([]any); len(rooms) != 1 {
		t.Fatalf("published rooms in Lyon: %s", list.raw)
	}

	// The fact left the service: room.published is on the HOSTS stream.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := s.js.OrderedConsumer(ctx, hostsevents.Stream.Name, jetstream.OrderedConsumerConfig{FilterSubjects: []string{hostsevents.RoomPublished.Subject}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Next(jetstream.FetchMaxWait(10 * time.Second)); err != nil {
		t.Fatalf("no room.published event: %v", err)
	}
}

func TestBadInputIsAClear400(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	h := s.must(200, "POST", "/v1/hosts", coord, hostBody("1948-03-12"))
	rooms := "/v1/hosts/" + h.str("id") + "/rooms"

	negative := roomBody()
	negative["monthlyContributionCents"] = -500
	small := roomBody()
	small["areaM2"] = 8.5
	unknownEnum := hostBody("1948-03-12")
	unknownEnum["rhythm"] = "RHYTHM_NOCTURNAL"
	cases := []struct {
		name, path string
		body       any
		field      string
	}{
		{"negative contribution", rooms, negative, "monthlyContributionCents"},
		{"room under 9 m²", rooms, small, "areaM2"},
		{"malformed JSON", rooms, `{"title": "Chambre", `, ""},
		{"unknown enum", "/v1/hosts", unknownEnum, ""},
		{"wrong type", rooms, `{"areaM2": "large"}`, ""},
		{"bad date", "/v1/hosts", hostBody("12/03/1948"), "birthDate"},
	}
	for _, c := range cases {
		r := s.do("POST", c.path, coord, c.body)
		if r.code != 400 || r.body["code"] == nil || r.body["message"] == "" {
			t.Errorf("%s: got %d %s, want a 400 google.rpc.Status", c.name, r.code, r.raw)
			continue
		}
		if c.field != "" && !strings.Contains(strings.Join(r.violations(), ","), c.field) {
			t.Errorf("%s: violations %v lack %s", c.name, r.violations(), c.field)
		}
	}

	young := s.must(200, "POST", "/v1/hosts", coord, hostBody(time.Now().AddDate(-60, 0, 3).Format("2006-01-02")))
	r := s.must(400, "POST", "/v1/hosts/"+young.str("id")+":verify", coord, map[string]any{})
	if r.reason() != "HOST_TOO_YOUNG" || !strings.Contains(r.str("message"), "59") {
		t.Fatalf("verifying a 59-year-old: %s", r.raw)
	}
	s.must(404, "GET", "/v1/hosts/does-not-exist", coord, nil)
	s.must(401, "GET", "/v1/hosts", "", nil)
	s.must(401, "GET", "/v1/hosts", "forged.token.value", nil)
}

func TestWhoSeesWhat(t *testing.T) {
	t.Parallel()
	s := boot(t)
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")

	// A second programme with its own coordinator.
	other := s.must(200, "POST", "/v1/programmes", admin, map[string]any{"name": "Cohabit Paris", "territory": "Paris"})
	s.must(200, "POST", "/v1/accounts", admin, map[string]any{
		"email": "coord.paris@example.org", "password": "paris-coordinator-pw", "role": "ROLE_COORDINATOR", "programmeId": other.str("id"),
	})
	paris := s.login("coord.paris@example.org", "paris-coordinator-pw")

	// A student of the demo programme.
	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "lea@example.org", "password": "lea-student-pw1", "role": "ROLE_STUDENT", "programmeId": demo})
	student := s.login("lea@example.org", "lea-student-pw1")
	// A host who signed up and registers herself.
	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "marie@example.org", "password": "marie-host-pw12", "role": "ROLE_HOST", "programmeId": demo})
	hostTok := s.login("marie@example.org", "marie-host-pw12")
	self := hostBody("1950-01-01")
	self["assisted"], self["consentRecorded"] = false, false
	own := s.must(200, "POST", "/v1/hosts", hostTok, self)

	assisted := s.must(200, "POST", "/v1/hosts", coord, hostBody("1948-03-12"))
	s.must(403, "GET", "/v1/hosts", student, nil)
	s.must(403, "GET", "/v1/hosts/"+assisted.str("id"), student, nil)
	s.must(404, "GET", "/v1/hosts/"+assisted.str("id"), paris, nil)
	s.must(404, "GET", "/v1/hosts/"+assisted.str("id"), hostTok, nil)
	s.must(200, "GET", "/v1/hosts/"+own.str("id"), hostTok, nil)
	s.must(403, "POST", "/v1/hosts/"+own.str("id")+":verify", hostTok, map[string]any{})
	s.must(403, "POST", "/v1/programmes", coord, map[string]any{"name": "Rogue"})
	s.must(403, "POST", "/v1/accounts", coord, map[string]any{"email": "x@example.org", "password": "0123456789ab", "role": "ROLE_ADMIN"})
	if hs, _ := s.must(200, "GET", "/v1/hosts", paris, nil).body["hosts"].([]any); len(hs) != 0 {
		t.Fatalf("Paris's coordinator lists %d hosts of another programme", len(hs))
	}
	s.must(404, "PATCH", "/v1/hosts/"+assisted.str("id"), paris, map[string]any{"displayName": "Hijacked"})

	me := s.must(200, "GET", "/v1/me", hostTok, nil)
	deadline := time.Now().Add(10 * time.Second)
	for me.str("hostId") != own.str("id") {
		if time.Now().After(deadline) {
			t.Fatalf("/v1/me never linked the host record: %s", me.raw)
		}
		time.Sleep(50 * time.Millisecond)
		me = s.must(200, "GET", "/v1/me", hostTok, nil)
	}
}

func TestConcurrentPatchWithOneEtag(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	h := s.must(200, "POST", "/v1/hosts", coord, hostBody("1948-03-12"))
	const n = 6
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := s.do("PATCH", "/v1/hosts/"+h.str("id"), coord, map[string]any{"etag": h.str("etag"), "phone": fmt.Sprintf("+33 6 00 00 00 0%d", i)})
			codes[i] = r.code
		}()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, c := range codes {
		switch c {
		case 200:
			ok++
		case 409:
			conflict++
		}
	}
	if ok != 1 || conflict != n-1 {
		t.Fatalf("codes %v: want exactly one 200 and the rest 409", codes)
	}
}

func studentBody(birth string) map[string]any {
	return map[string]any{
		"displayName": "Léa Dubois", "birthDate": birth, "email": "lea.dubois@example.org", "phone": "+33 6 12 34 56 78",
		"institution": "Université Lyon 2", "studies": "Sociologie",
		"studyPlace":   map[string]any{"lat": 45.749, "lng": 4.836, "city": "Lyon"},
		"maxCommuteKm": 8, "languages": []string{"fr", "en"}, "acceptsPets": true,
		"gender": "GENDER_FEMALE", "servicesOffered": []string{"SERVICE_COMPANY", "SERVICE_DIGITAL_HELP"},
		"hoursOfferedPerWeek": 3, "nightsPresentPerWeek": 4, "rhythm": "RHYTHM_EARLY", "motivation": "J'aime la compagnie.",
	}
}

func TestStudentSignsUpAndApplies(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	admin := s.login("admin@demo.cohabit.test", "admin-demo-password")
	other := s.must(200, "POST", "/v1/programmes", admin, map[string]any{"name": "Cohabit Lille", "territory": "Lille"})
	s.must(200, "POST", "/v1/accounts", admin, map[string]any{
		"email": "coord.lille@example.org", "password": "lille-coordinator-pw", "role": "ROLE_COORDINATOR", "programmeId": other.str("id"),
	})
	lille := s.login("coord.lille@example.org", "lille-coordinator-pw")

	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "lea@example.org", "password": "lea-student-pw1", "role": "ROLE_STUDENT", "programmeId": demo})
	lea := s.login("lea@example.org", "lea-student-pw1")
	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "tom@example.org", "password": "tom-student-pw1", "role": "ROLE_STUDENT", "programmeId": demo})
	tom := s.login("tom@example.org", "tom-student-pw1")
	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": "marie@example.org", "password": "marie-host-pw12", "role": "ROLE_HOST", "programmeId": demo})
	marie := s.login("marie@example.org", "marie-host-pw12")

	st := s.must(200, "POST", "/v1/students", lea, studentBody("2004-05-06"))
	id := st.str("id")
	if st.str("status") != "STUDENT_STATUS_PENDING_VERIFICATION" {
		t.Fatalf("created student: %s", st.raw)
	}
	s.must(403, "POST", "/v1/students/"+id+":verify", lea, map[string]any{})
	s.must(404, "GET", "/v1/students/"+id, tom, nil)
	s.must(403, "GET", "/v1/students/"+id, marie, nil)
	s.must(404, "GET", "/v1/students/"+id, lille, nil)
	s.must(400, "POST", "/v1/students/"+id+"/applications", lea, map[string]any{"budgetCents": 20000, "moveInDate": "2027-09-01", "moveOutDate": "2028-06-30"})
	s.must(200, "POST", "/v1/students/"+id+":verify", coord, map[string]any{})

	bad := s.must(400, "POST", "/v1/students/"+id+"/applications", lea, map[string]any{"budgetCents": -1, "moveInDate": "2027-09-01", "moveOutDate": "2027-08-01"})
	if v := strings.Join(bad.violations(), ","); !strings.Contains(v, "budgetCents") || !strings.Contains(v, "moveOutDate") {
		t.Fatalf("violations %v", v)
	}
	app := s.must(200, "POST", "/v1/students/"+id+"/applications", lea, map[string]any{"budgetCents": 20000, "moveInDate": "2027-09-01", "moveOutDate": "2028-06-30"})
	if app.str("status") != "APPLICATION_STATUS_SUBMITTED" {
		t.Fatalf("application: %s", app.raw)
	}
	s.must(409, "POST", "/v1/students/"+id+"/applications", lea, map[string]any{"budgetCents": 20000, "moveInDate": "2027-09-01", "moveOutDate": "2028-06-30"})
	s.must(200, "POST", "/v1/applications/"+app.str("id")+":withdraw", lea, map[string]any{})
	s.must(200, "POST", "/v1/students/"+id+"/applications", lea, map[string]any{"budgetCents": 18000, "moveInDate": "2027-09-01"})
	if apps, _ := s.must(200, "GET", "/v1/students/"+id+"/applications", coord, nil).body["applications"].([]any); len(apps) != 2 {
		t.Fatalf("applications listed: %d", len(apps))
	}

	// A student aged 30 on the day of verification is refused, with the reason.
	old := s.must(200, "POST", "/v1/students", coord, studentBody(time.Now().AddDate(-30, 0, 0).Format("2006-01-02")))
	r := s.must(400, "POST", "/v1/students/"+old.str("id")+":verify", coord, map[string]any{})
	if r.reason() != "STUDENT_TOO_OLD" {
		t.Fatalf("verifying a 30-year-old: %s", r.raw)
	}

	me := s.must(200, "GET", "/v1/me", lea, nil)
	deadline := time.Now().Add(10 * time.Second)
	for me.str("studentId") != id {
		if time.Now().After(deadline) {
			t.Fatalf("/v1/me never linked the student record: %s", me.raw)
		}
		time.Sleep(50 * time.Millisecond)
		me = s.must(200, "GET", "/v1/me", lea, nil)
	}
}

// eventually polls fn until it returns true: events travel between services asynchronously.
func eventually(t *testing.T, what string, fn func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !fn() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 15s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// publishedRoom has the coordinator register, verify and publish a host's room.
func (s *stack) publishedRoom(coord string) (hostID, roomID string) {
	s.t.Helper()
	h := s.must(200, "POST", "/v1/hosts", coord, hostBody("1948-03-12"))
	s.must(200, "POST", "/v1/hosts/"+h.str("id")+":verify", coord, map[string]any{})
	r := s.must(200, "POST", "/v1/hosts/"+h.str("id")+"/rooms", coord, roomBody())
	s.must(200, "POST", "/v1/rooms/"+r.str("id")+":publish", coord, map[string]any{})
	return h.str("id"), r.str("id")
}

// applicant signs a student up, has the coordinator verify her, and makes her apply.
func (s *stack) applicant(coord, programme, email string, body map[string]any) (token, studentID string) {
	s.t.Helper()
	s.must(200, "POST", "/v1/auth/signup", "", map[string]any{"email": email, "password": "student-password-1", "role": "ROLE_STUDENT", "programmeId": programme})
	tok := s.login(email, "student-password-1")
	st := s.must(200, "POST", "/v1/students", tok, body)
	s.must(200, "POST", "/v1/students/"+st.str("id")+":verify", coord, map[string]any{})
	s.must(200, "POST", "/v1/students/"+st.str("id")+"/applications", tok, map[string]any{"budgetCents": 20000, "moveInDate": "2027-01-15", "moveOutDate": "2027-06-30"})
	return tok, st.str("id")
}

func TestMatchingThroughTheGateway(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	_, roomID := s.publishedRoom(coord)

	lea, leaID := s.applicant(coord, demo, "lea@example.org", studentBody("2004-05-06"))
	smoker := studentBody("2003-01-01")
	smoker["smokes"] = true
	_, smokerID := s.applicant(coord, demo, "sam@example.org", smoker)

	var cands reply
	eventually(t, "the room and Léa's application reach the matching pool", func() bool {
		// 404 until the room's event reaches matching.
		cands = s.do("GET", "/v1/rooms/"+roomID+"/candidates?pageSize=10", coord, nil)
		list, _ := cands.body["candidates"].([]any)
		return cands.code == 200 && len(list) == 1
	})
	first, _ := cands.body["candidates"].([]any)[0].(map[string]any)
	if first["studentId"] != leaID || first["score"].(float64) <= 0 {
		t.Fatalf("candidates: %s", cands.raw)
	}
	if b, _ := first["breakdown"].([]any); len(b) == 0 {
		t.Fatalf("a candidate comes with its breakdown: %s", cands.raw)
	}
	var compat reply
	eventually(t, "the smoker's application reaches the pool", func() bool {
		compat = s.do("GET", "/v1/compatibility?roomId="+roomID+"&studentId="+smokerID, coord, nil)
		return compat.code == 200
	})
	if broken, _ := compat.body["brokenConstraints"].([]any); len(broken) == 0 {
		t.Fatalf("a smoker in a non-smoking room breaks a constraint: %s", compat.raw)
	}
	s.must(403, "GET", "/v1/rooms/"+roomID+"/candidates", lea, nil)
	// The ranking pages with the token it gave; another is a 400 on pageToken.
	p1 := s.must(200, "GET", "/v1/rooms/"+roomID+"/candidates?pageSize=1", coord, nil)
	if tok := p1.str("nextPageToken"); len(list(p1, "candidates")) != 1 {
		t.Fatalf("first page of one: %s", p1.raw)
	} else if tok != "" {
		s.must(200, "GET", "/v1/rooms/"+roomID+"/candidates?pageSize=1&pageToken="+tok, coord, nil)
	}
	if bad := s.must(400, "GET", "/v1/rooms/"+roomID+"/candidates?pageToken=nope", coord, nil); !strings.Contains(bad.raw, "pageToken") {
		t.Fatalf("a foreign token: %s", bad.raw)
	}

	m := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": leaID})
	id := m.str("id")
	if m.str("status") != "MATCH_STATUS_PROPOSED" {
		t.Fatalf("proposed match: %s", m.raw)
	}
	s.must(400, "POST", "/v1/matches/"+id+":approve", coord, map[string]any{})
	s.must(200, "POST", "/v1/matches/"+id+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)})
	s.must(400, "POST", "/v1/matches/"+id+":accept", coord, map[string]any{})
	s.must(200, "POST", "/v1/matches/"+id+":accept", coord, map[string]any{"party": "PARTY_HOST"})
	acc := s.must(200, "POST", "/v1/matches/"+id+":accept", lea, map[string]any{})
	if acc.str("status") != "MATCH_STATUS_ACCEPTED" {
		t.Fatalf("accepted by both: %s", acc.raw)
	}
	seen := s.must(200, "GET", "/v1/matches/"+id, lea, nil)
	if seen.str("host", "displayName") == "" || strings.Contains(seen.raw, "+33") {
		t.Fatalf("the student sees the host's summary and no contact details: %s", seen.raw)
	}
	s.verifyDocumentsOfMatch(coord, id) // SPEC §6: documents verified before the approval
	appr := s.must(200, "POST", "/v1/matches/"+id+":approve", coord, map[string]any{})
	if appr.str("status") != "MATCH_STATUS_APPROVED" {
		t.Fatalf("approved: %s", appr.raw)
	}
}

func TestOneAcceptedMatchPerRoomUnderRace(t *testing.T) {
	t.Parallel()
	s := boot(t)
	coord := s.login("coordinator@demo.cohabit.test", "coordinator-demo-password")
	demo := s.must(200, "GET", "/v1/me", coord, nil).str("programmeId")
	_, roomID := s.publishedRoom(coord)
	_, a := s.applicant(coord, demo, "a@example.org", studentBody("2004-05-06"))
	_, b := s.applicant(coord, demo, "b@example.org", studentBody("2005-02-03"))
	eventually(t, "both applications reach the pool", func() bool {
		r := s.do("GET", "/v1/rooms/"+roomID+"/candidates", coord, nil)
		list, _ := r.body["candidates"].([]any)
		return r.code == 200 && len(list) == 2
	})
	var ids []string
	for _, st := range []string{a, b} {
		m := s.must(200, "POST", "/v1/matches", coord, map[string]any{"roomId": roomID, "studentId": st})
		s.must(200, "POST", "/v1/matches/"+m.str("id")+":scheduleMeeting", coord, map[string]any{"meetingAt": time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)})
		s.must(200, "POST", "/v1/matches/"+m.str("id")+":accept", coord, map[string]any{"party": "PARTY_HOST"})
		ids = append(ids, m.str("id"))
	}
	// Both students' yes at the same instant: each would make its match ACCEPTED.
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = s.do("POST", "/v1/matches/"+id+":accept", coord, map[string]any{"party": "PARTY_STUDENT"}).code
		}()
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
		t.Fatalf("codes %v: want one 200 and one 409", codes)
	}
	accepted := 0
	for _, id := range ids {
		if s.must(200, "GET", "/v1/matches/"+id, coord, nil).str("status") == "MATCH_STATUS_ACCEPTED" {
			accepted++
		}
	}
	if accepted != 1 {
		t.Fatalf("%d matches ACCEPTED for one room", accepted)
	}
}

package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc"

	"github.com/cohabit/cohabit/gateway/service"
	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	"github.com/cohabit/cohabit/services/platform/logging"
)

// stack is a gateway over fake identity and hosts backends, all on real sockets.
type stack struct {
	url      string
	identity *fakeIdentity
	hosts    *fakeHosts
	hostsSrv *backend
}

// start boots the backends and the gateway (configured through LoadConfig, as main does,
// with env added to the backends' addresses) and stops them when the test ends.
func start(t *testing.T, env map[string]string) *stack {
	t.Helper()
	st := &stack{identity: &fakeIdentity{}, hosts: &fakeHosts{}}
	idSrv := startBackend(t, func(s *grpc.Server) { identityv1.RegisterIdentityServiceServer(s, st.identity) })
	st.hostsSrv = startBackend(t, func(s *grpc.Server) { hostsv1.RegisterHostServiceServer(s, st.hosts) })
	// Only health: these tests exercise the gateway's plumbing through identity and hosts.
	studentsSrv := startBackend(t, func(*grpc.Server) {})
	matchingSrv := startBackend(t, func(*grpc.Server) {})
	contractsSrv := startBackend(t, func(*grpc.Server) {})
	notificationsSrv := startBackend(t, func(*grpc.Server) {})
	figuresSrv := startBackend(t, func(*grpc.Server) {})
	deskSrv := startBackend(t, func(*grpc.Server) {})

	vars := map[string]string{
		"COHABIT_HTTP_ADDR":               "127.0.0.1:0",
		"COHABIT_IDENTITY_GRPC_ADDR":      idSrv.addr,
		"COHABIT_HOSTS_GRPC_ADDR":         st.hostsSrv.addr,
		"COHABIT_STUDENTS_GRPC_ADDR":      studentsSrv.addr,
		"COHABIT_MATCHING_GRPC_ADDR":      matchingSrv.addr,
		"COHABIT_CONTRACTS_GRPC_ADDR":     contractsSrv.addr,
		"COHABIT_NOTIFICATIONS_GRPC_ADDR": notificationsSrv.addr,
		"COHABIT_FIGURES_GRPC_ADDR":       figuresSrv.addr,
		"COHABIT_DESK_GRPC_ADDR":          deskSrv.addr,
	}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := service.LoadConfig(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	addrc := make(chan net.Addr, 1)
	cfg.Ready = func(a net.Addr) { addrc <- a }

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- service.Run(ctx, cfg, logging.Discard()) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(15 * time.Second):
			t.Error("Run did not return after cancel")
		}
	})
	select {
	case a := <-addrc:
		st.url = "http://" + a.String()
	case err := <-errc:
		t.Fatalf("Run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("gateway did not start")
	}
	return st
}

type response struct {
	code   int
	header http.Header
	body   []byte
}

func (st *stack) do(t *testing.T, method, path string, body io.Reader, header map[string]string) response {
	t.Helper()
	req, err := http.NewRequest(method, st.url+path, body)
	if err != nil {
		t.Fatalf("new request: %v", err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: b}
}

// rpcStatus is google.rpc.Status as grpc-gateway writes it.
type rpcStatus struct {
	Code    int               `json:"code"`
	Message string            `json:"message"`
	Details []json.RawMessage `json:"details"`
}

func decodeStatus(t *testing.T, r response) rpcStatus {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("Content-Type = %q, want application/json; body %s", ct, r.body)
	}
	var s rpcStatus
	if err := json.Unmarshal(r.body, &s); err != nil {
		t.Fatalf("body is not google.rpc.Status JSON: %v: %s", err, r.body)
	}
	if s.Code == 0 || s.Message == "" {
		t.Fatalf("status without code or message: %s", r.body)
	}
	return s
}

func TestAuthorizationReachesBackendAsMetadata(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "GET", "/v1/me", nil, map[string]string{"Authorization": "Bearer tok-123"})
	if r.code != http.StatusOK {
		t.Fatalf("code = %d, body %s", r.code, r.body)
	}
	md := st.identity.last()
	if got := md.Get("authorization"); len(got) != 1 || got[0] != "Bearer tok-123" {
		t.Errorf("authorization metadata = %q, want exactly [Bearer tok-123]", got)
	}
	if got := md.Get("grpcgateway-authorization"); len(got) != 0 {
		t.Errorf("token also forwarded as grpcgateway-authorization: %q", got)
	}
	var acc map[string]any
	if err := json.Unmarshal(r.body, &acc); err != nil {
		t.Fatalf("decode account: %v", err)
	}
	// lowerCamelCase names, enums as names, unset fields present.
	if acc["id"] != "acc-1" || acc["programmeId"] != "prog-1" || acc["role"] != "ROLE_HOST" {
		t.Errorf("account = %s", r.body)
	}
	if _, ok := acc["hostId"]; !ok {
		t.Errorf("unpopulated hostId missing: %s", r.body)
	}
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	st := start(t, nil)

	t.Run("forwarded and echoed", func(t *testing.T) {
		r := st.do(t, "GET", "/v1/me", nil, map[string]string{"X-Request-Id": "req-abc-1"})
		if got := r.header.Get("X-Request-Id"); got != "req-abc-1" {
			t.Errorf("response X-Request-Id = %q", got)
		}
		if got := st.identity.last().Get("x-request-id"); len(got) != 1 || got[0] != "req-abc-1" {
			t.Errorf("x-request-id metadata = %q", got)
		}
	})
	t.Run("generated when absent", func(t *testing.T) {
		r := st.do(t, "GET", "/v1/me", nil, nil)
		id := r.header.Get("X-Request-Id")
		if id == "" {
			t.Fatal("no X-Request-Id in response")
		}
		if got := st.identity.last().Get("x-request-id"); len(got) != 1 || got[0] != id {
			t.Errorf("x-request-id metadata = %q, want %q", got, id)
		}
	})
	t.Run("replaced when unusable", func(t *testing.T) {
		long := strings.Repeat("x", 200)
		r := st.do(t, "GET", "/v1/me", nil, map[string]string{"X-Request-Id": long})
		if id := r.header.Get("X-Request-Id"); id == "" || id == long {
			t.Errorf("X-Request-Id = %q, want a fresh id", id)
		}
	})
	t.Run("on errors and non-API routes", func(t *testing.T) {
		for _, path := range []string{"/v1/hosts/nope", "/healthz"} {
			r := st.do(t, "GET", path, nil, map[string]string{"X-Request-Id": "req-2"})
			if got := r.header.Get("X-Request-Id"); got != "req-2" {
				t.Errorf("%s: X-Request-Id = %q", path, got)
			}
		}
	})
}

func TestFieldViolationsAre400WithDetails(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "POST", "/v1/hosts", strings.NewReader(`{"languages":["fr"]}`), nil)
	if r.code != http.StatusBadRequest {
		t.Fatalf("code = %d, body %s", r.code, r.body)
	}
	s := decodeStatus(t, r)
	if s.Code != 3 {
		t.Errorf("status code = %d, want 3 (INVALID_ARGUMENT)", s.Code)
	}
	var violations []map[string]string
	var reason string
	for _, d := range s.Details {
		var detail struct {
			Type            string              `json:"@type"`
			FieldViolations []map[string]string `json:"fieldViolations"`
			Reason          string              `json:"reason"`
		}
		if err := json.Unmarshal(d, &detail); err != nil {
			t.Fatalf("decode detail %s: %v", d, err)
		}
		switch detail.Type {
		case "type.googleapis.com/google.rpc.BadRequest":
			violations = detail.FieldViolations
		case "type.googleapis.com/google.rpc.ErrorInfo":
			reason = detail.Reason
		}
	}
	if reason != "INVALID_ARGUMENT" {
		t.Errorf("ErrorInfo reason = %q; body %s", reason, r.body)
	}
	want := map[string]bool{"displayName": true, "address.postcode": true}
	if len(violations) != len(want) {
		t.Fatalf("field violations = %v, want %d; body %s", violations, len(want), r.body)
	}
	for _, v := range violations {
		if !want[v["field"]] || v["description"] == "" {
			t.Errorf("unexpected violation %v", v)
		}
	}
}

func TestBackendErrorCodes(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	cases := []struct {
		name, method, path, body string
		wantHTTP, wantCode       int
	}{
		{"not found", "GET", "/v1/hosts/h-404", "", http.StatusNotFound, 5},
		{"unauthenticated", "POST", "/v1/auth/login", `{"email":"a@b.c","password":"x"}`, http.StatusUnauthorized, 16},
		{"unimplemented", "GET", "/v1/rooms", "", http.StatusNotImplemented, 12},
		{"unknown route", "GET", "/v1/nowhere", "", http.StatusNotFound, 5},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var body io.Reader
			if c.body != "" {
				body = strings.NewReader(c.body)
			}
			r := st.do(t, c.method, c.path, body, nil)
			if r.code != c.wantHTTP {
				t.Fatalf("code = %d, want %d; body %s", r.code, c.wantHTTP, r.body)
			}
			if s := decodeStatus(t, r); s.Code != c.wantCode {
				t.Errorf("status code = %d, want %d", s.Code, c.wantCode)
			}
		})
	}
	t.Run("not found message", func(t *testing.T) {
		r := st.do(t, "GET", "/v1/hosts/h-404", nil, nil)
		if s := decodeStatus(t, r); s.Message != "host h-404 not found" {
			t.Errorf("message = %q", s.Message)
		}
	})
	t.Run("success", func(t *testing.T) {
		r := st.do(t, "GET", "/v1/hosts/h-1", nil, nil)
		if r.code != http.StatusOK || !strings.Contains(string(r.body), `"status":"HOST_STATUS_VERIFIED"`) {
			t.Errorf("code = %d, body %s", r.code, r.body)
		}
	})
}

func TestUnauthenticatedChallenge(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "POST", "/v1/auth/login", strings.NewReader(`{"email":"a@b.c","password":"x"}`), nil)
	if r.code != http.StatusUnauthorized {
		t.Fatalf("code = %d, body %s", r.code, r.body)
	}
	if got := r.header.Get("WWW-Authenticate"); got != `Bearer realm="cohabit"` {
		t.Errorf("WWW-Authenticate = %q", got)
	}
	if s := decodeStatus(t, r); s.Message != "wrong email or password" {
		t.Errorf("message = %q", s.Message)
	}
}

func TestUnreachableBackendIs503WithoutInternals(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	st.hostsSrv.server.Stop()
	r := st.do(t, "GET", "/v1/hosts/h-1", nil, nil)
	if r.code != http.StatusServiceUnavailable {
		t.Fatalf("code = %d, body %s", r.code, r.body)
	}
	s := decodeStatus(t, r)
	if s.Code != 14 {
		t.Errorf("status code = %d, want 14 (UNAVAILABLE)", s.Code)
	}
	for _, leak := range []string{"127.0.0.1", "dial", "transport"} {
		if strings.Contains(s.Message, leak) {
			t.Errorf("message %q leaks %q", s.Message, leak)
		}
	}
	// The other backend keeps serving.
	if r := st.do(t, "GET", "/v1/me", nil, nil); r.code != http.StatusOK {
		t.Errorf("GET /v1/me: code = %d", r.code)
	}
}

func TestBadJSONIs400(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	cases := []struct{ name, path, body string }{
		{"malformed", "/v1/auth/login", `{"email": `},
		{"not an object", "/v1/hosts", `[1, 2]`},
		{"unknown enum value", "/v1/hosts", `{"displayName":"Jeanne","rhythm":"RHYTHM_NOCTURNAL"}`},
		{"unknown field", "/v1/hosts", `{"displayName":"Jeanne","favouriteColour":"blue"}`},
		{"wrong type", "/v1/hosts", `{"displayName":"Jeanne","hoursWantedPerWeek":"many"}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := st.hosts.calls.Load() + st.identity.calls.Load()
			r := st.do(t, "POST", c.path, strings.NewReader(c.body), nil)
			if r.code != http.StatusBadRequest {
				t.Fatalf("code = %d, body %s", r.code, r.body)
			}
			if s := decodeStatus(t, r); s.Code != 3 {
				t.Errorf("status code = %d, want 3", s.Code)
			}
			if after := st.hosts.calls.Load() + st.identity.calls.Load(); after != before {
				t.Error("a request the gateway could not decode reached a backend")
			}
		})
	}
}

func TestOversizedBody(t *testing.T) {
	t.Parallel()
	st := start(t, map[string]string{"COHABIT_HTTP_MAX_BODY_BYTES": "1024"})
	big := `{"displayName":"` + strings.Repeat("a", 4096) + `"}`

	t.Run("with content length", func(t *testing.T) {
		r := st.do(t, "POST", "/v1/hosts", strings.NewReader(big), nil)
		checkTooLarge(t, r)
	})
	t.Run("chunked", func(t *testing.T) {
		// A reader of unknown length makes net/http send the body chunked, so only the
		// reading limit, not a Content-Length check, can stop it.
		r := st.do(t, "POST", "/v1/hosts", io.MultiReader(strings.NewReader(big)), nil)
		checkTooLarge(t, r)
	})
	t.Run("just under the limit", func(t *testing.T) {
		ok := `{"displayName":"Jeanne","address":{"postcode":"69001"},"phone":"` + strings.Repeat("0", 900) + `"}`
		r := st.do(t, "POST", "/v1/hosts", strings.NewReader(ok), nil)
		if r.code != http.StatusOK {
			t.Errorf("code = %d, body %s", r.code, r.body)
		}
	})
	if n := st.hosts.calls.Load(); n != 1 {
		t.Errorf("backend calls = %d, want 1 (only the body under the limit)", n)
	}
}

func checkTooLarge(t *testing.T, r response) {
	t.Helper()
	if r.code != http.StatusRequestEntityTooLarge {
		t.Fatalf("code = %d, want 413; body %s", r.code, r.body)
	}
	if s := decodeStatus(t, r); s.Code != 3 || !strings.Contains(s.Message, "1024 bytes") {
		t.Errorf("status = %+v", s)
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "GET", "/healthz", nil, nil)
	if r.code != http.StatusOK || string(r.body) != "ok" {
		t.Errorf("code = %d, body %q", r.code, r.body)
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	st := start(t, nil)

	type report struct {
		Ready    bool `json:"ready"`
		Backends []struct {
			Name   string `json:"name"`
			Ready  bool   `json:"ready"`
			Status string `json:"status"`
		} `json:"backends"`
	}
	get := func() (int, report) {
		r := st.do(t, "GET", "/readyz", nil, nil)
		var rep report
		if err := json.Unmarshal(r.body, &rep); err != nil {
			t.Fatalf("decode %s: %v", r.body, err)
		}
		return r.code, rep
	}

	code, rep := get()
	if code != http.StatusOK || !rep.Ready || len(rep.Backends) != 8 {
		t.Fatalf("all serving: code = %d, report %+v", code, rep)
	}

	st.hostsSrv.server.Stop()
	start := time.Now()
	code, rep = get()
	if elapsed := time.Since(start); elapsed > 3*time.Second {
		t.Errorf("readyz took %v with a backend down", elapsed)
	}
	if code != http.StatusServiceUnavailable || rep.Ready {
		t.Fatalf("hosts stopped: code = %d, report %+v", code, rep)
	}
	for _, b := range rep.Backends {
		switch b.Name {
		case "hosts":
			if b.Ready || b.Status == "" {
				t.Errorf("hosts = %+v, want not ready with a status", b)
			}
		case "identity", "students", "matching", "contracts", "notifications", "figures", "desk":
			if !b.Ready {
				t.Errorf("%s = %+v, want ready", b.Name, b)
			}
		default:
			t.Errorf("unexpected backend %q", b.Name)
		}
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	st.do(t, "GET", "/v1/hosts/h-1", nil, nil)
	st.do(t, "GET", "/v1/hosts/h-secret-404", nil, nil)
	st.do(t, "GET", "/healthz", nil, nil)
	st.do(t, "GET", "/no/such/page", nil, nil)
	st.do(t, "BREW", "/healthz", nil, nil)

	r := st.do(t, "GET", "/metrics", nil, nil)
	if r.code != http.StatusOK {
		t.Fatalf("code = %d", r.code)
	}
	text := string(r.body)
	for _, want := range []string{
		`cohabit_gateway_http_requests_total{code="200",method="GET",route="/v1/hosts/{id}"} 1`,
		`cohabit_gateway_http_requests_total{code="404",method="GET",route="/v1/hosts/{id}"} 1`,
		`cohabit_gateway_http_requests_total{code="200",method="GET",route="/healthz"} 1`,
		`cohabit_gateway_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`method="OTHER"`,
		`cohabit_gateway_http_request_duration_seconds_bucket{code="200",method="GET",route="/v1/hosts/{id}",le=`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, leak := range []string{"h-secret-404", "/no/such/page", "BREW"} {
		if strings.Contains(text, leak) {
			t.Errorf("metrics carry a raw request value %q", leak)
		}
	}
}

func TestOpenAPI(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "GET", "/openapi.json", nil, nil)
	if r.code != http.StatusOK {
		t.Fatalf("code = %d", r.code)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
	var doc struct {
		Swagger string `json:"swagger"`
		Info    struct {
			Title   string `json:"title"`
			Version string `json:"version"`
		} `json:"info"`
		Paths map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.Info.Title != "Cohabit API" || doc.Info.Version != "v1" {
		t.Errorf("info = %+v", doc.Info)
	}
	for _, p := range []string{"/v1/hosts", "/v1/auth/login"} {
		if _, ok := doc.Paths[p]; !ok {
			t.Errorf("paths lack %s", p)
		}
	}
}

func TestLandingPage(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "GET", "/", nil, nil)
	if r.code != http.StatusOK {
		t.Fatalf("code = %d", r.code)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	page := string(r.body)
	for _, want := range []string{`<html lang="fr">`, `href="/openapi.json"`, "<title>", "<main>", "Cohabit"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if r := st.do(t, "GET", "/elsewhere", nil, nil); r.code != http.StatusNotFound {
		t.Errorf("GET /elsewhere: code = %d, want 404", r.code)
	}
}

func TestShutdownOnContextDone(t *testing.T) {
	t.Parallel()
	idSrv := startBackend(t, func(s *grpc.Server) { identityv1.RegisterIdentityServiceServer(s, &fakeIdentity{}) })
	hostsSrv := startBackend(t, func(s *grpc.Server) { hostsv1.RegisterHostServiceServer(s, &fakeHosts{}) })
	studentsSrv := startBackend(t, func(*grpc.Server) {})
	matchingSrv := startBackend(t, func(*grpc.Server) {})
	contractsSrv := startBackend(t, func(*grpc.Server) {})
	notificationsSrv := startBackend(t, func(*grpc.Server) {})
	addrc := make(chan net.Addr, 1)
	cfg := service.Config{
		HTTPAddr: "127.0.0.1:0",
		Backends: map[string]string{"identity": idSrv.addr, "hosts": hostsSrv.addr, "students": studentsSrv.addr, "matching": matchingSrv.addr, "contracts": contractsSrv.addr, "notifications": notificationsSrv.addr},
		Ready:    func(a net.Addr) { addrc <- a },
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- service.Run(ctx, cfg, logging.Discard()) }()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-errc:
		t.Fatalf("Run: %v", err)
	}
	cancel()
	select {
	case err := <-errc:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return")
	}
	if _, err := net.DialTimeout("tcp", addr.String(), time.Second); err == nil {
		t.Error("gateway still accepts connections after shutdown")
	}
}

func TestRunRefusesBadBackends(t *testing.T) {
	t.Parallel()
	cases := map[string]map[string]string{
		"missing": {"identity": "127.0.0.1:1"},
		"unknown": {"identity": "127.0.0.1:1", "hosts": "127.0.0.1:1", "hots": "127.0.0.1:1"},
	}
	for name, backends := range cases {
		t.Run(name, func(t *testing.T) {
			cfg := service.Config{HTTPAddr: "127.0.0.1:0", Backends: backends}
			err := service.Run(t.Context(), cfg, logging.Discard())
			if err == nil {
				t.Fatal("Run accepted the configuration")
			}
			var want string
			if name == "missing" {
				want = "hosts"
			} else {
				want = `"hots"`
			}
			if !strings.Contains(err.Error(), want) || errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want it to name %s", err, want)
			}
		})
	}
}

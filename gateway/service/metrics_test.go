package service_test

import (
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// With COHABIT_METRICS_ADDR, /metrics lives on its own listener and the public one no longer
// serves it (issue 18: 770 kB of runtime and route data were public).
func TestMetricsOnTheirOwnListener(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // a free port for the gateway's metrics listener
	st := start(t, map[string]string{"COHABIT_METRICS_ADDR": addr})

	if r := st.do(t, "GET", "/metrics", nil, nil); r.code != http.StatusNotFound {
		t.Errorf("public GET /metrics: %d, want 404", r.code)
	}
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatalf("metrics listener: %v", err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), "go_goroutines") {
		t.Errorf("metrics listener: %d %.100s", res.StatusCode, body)
	}
	if res, err := http.Get("http://" + addr + "/v1/hosts"); err == nil {
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("metrics listener serves the API: %d", res.StatusCode)
		}
	}
}

func TestPersonalAnswersAreNotCached(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "GET", "/v1/hosts/h-1", nil, nil)
	if got := r.header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("GET /v1/hosts/h-1: Cache-Control %q, want no-store", got)
	}
}

// The OpenAPI document says which operations need a token and what errors each can give
// (issue 18: every operation looked public, with only a default answer).
func TestOpenAPISecurityAndErrors(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	r := st.do(t, "GET", "/openapi.json", nil, nil)
	var doc struct {
		SecurityDefinitions map[string]struct {
			Type string `json:"type"`
			In   string `json:"in"`
			Name string `json:"name"`
		} `json:"securityDefinitions"`
		Security []map[string][]string `json:"security"`
		Paths    map[string]map[string]struct {
			Security  *[]map[string][]string     `json:"security"`
			Responses map[string]json.RawMessage `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(r.body, &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if b := doc.SecurityDefinitions["bearer"]; b.In != "header" || b.Name != "Authorization" {
		t.Errorf("bearer scheme = %+v", b)
	}
	if len(doc.Security) != 1 || doc.Security[0]["bearer"] == nil {
		t.Errorf("document security = %v, want bearer by default", doc.Security)
	}
	public := map[string]bool{"POST /v1/auth/login": true, "POST /v1/auth/signup": true, "GET /v1/programmes": true, "GET /v1/programmes/{id}": true}
	ops := 0
	for path, methods := range doc.Paths {
		for method, op := range methods {
			ops++
			key := strings.ToUpper(method) + " " + path
			isPublic := op.Security != nil && len(*op.Security) == 0
			if public[key] != isPublic {
				t.Errorf("%s: public = %v, want %v", key, isPublic, public[key])
			}
			for _, code := range []string{"400", "401", "403", "404"} {
				if _, ok := op.Responses[code]; !ok {
					t.Errorf("%s: no %s answer", key, code)
				}
			}
		}
	}
	if ops < 50 {
		t.Errorf("only %d operations", ops)
	}
}

// A browser's form posted from another origin never reaches the web application.
func TestCrossOriginFormsAreRefused(t *testing.T) {
	t.Parallel()
	st := start(t, nil)
	for site, want := range map[string]int{"cross-site": http.StatusForbidden, "same-site": http.StatusForbidden} {
		r := st.do(t, "POST", "/login", strings.NewReader("email=a%40b.c&password=x"), map[string]string{
			"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": site,
		})
		if r.code != want || !strings.Contains(string(r.body), "cross-origin") {
			t.Errorf("POST /login with Sec-Fetch-Site %s: %d %.80s, want %d as cross-origin", site, r.code, r.body, want)
		}
	}
	r := st.do(t, "POST", "/login", strings.NewReader("email=a%40b.c&password=x"), map[string]string{
		"Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "same-origin",
	})
	// Refused all the same, but by the form's missing CSRF token, not as cross-origin.
	if strings.Contains(string(r.body), "cross-origin") {
		t.Errorf("a same-origin POST /login was refused as cross-origin: %d", r.code)
	}
}

package service_test

import (
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

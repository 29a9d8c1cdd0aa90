package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// The demo accounts of SPEC §5, which identity seeds with DevSeed. Repeated here (not
// imported) because identity keeps them in an internal package.
const (
	demoProgrammeID         = "demo"
	demoAdminEmail          = "admin@demo.cohabit.test"
	demoAdminPassword       = "admin-demo-password"
	demoCoordinatorEmail    = "coordinator@demo.cohabit.test"
	demoCoordinatorPassword = "coordinator-demo-password"
)

// announce waits until the gateway reports every backend ready, then prints where to go.
// It prints even when readiness does not come within readyWait, with a warning in the log:
// the URL is what the developer needs to find out what is wrong.
func announce(ctx context.Context, w io.Writer, log *slog.Logger, configured string, bound net.Addr, dataDir string) {
	base := baseURL(configured, bound)
	if err := waitReady(ctx, base+"/readyz"); err != nil {
		if ctx.Err() != nil {
			return
		}
		log.Warn("gateway not ready yet; printing its URL anyway", "err", err)
	}
	fmt.Fprintf(w, `
Cohabit is running at %[1]s
  REST API  %[1]s/v1/...   OpenAPI  %[1]s/openapi.json   health  %[1]s/readyz

  Demo accounts (development only), programme %[2]q:
    admin        %-32[3]s password %[4]s
    coordinator  %-32[5]s password %[6]s

  Try:  curl -s %[1]s/v1/auth/login -d '{"email":"%[5]s","password":"%[6]s"}'

  Data is kept in %[7]s between runs (make clean removes it). Ctrl-C stops everything.

`, base, demoProgrammeID, demoAdminEmail, demoAdminPassword, demoCoordinatorEmail, demoCoordinatorPassword, dataDir)
}

// baseURL is the URL a browser on this machine uses: the configured host (localhost by
// default; a wildcard becomes localhost) with the port actually bound.
func baseURL(configured string, bound net.Addr) string {
	host, _, err := net.SplitHostPort(configured)
	if err != nil || host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	port := "8080"
	if _, p, err := net.SplitHostPort(bound.String()); err == nil {
		port = p
	}
	return "http://" + net.JoinHostPort(host, port)
}

// waitReady polls url until it answers 200, for at most readyWait: /readyz checks every
// backend's health, which the moment the gateway binds its port does not.
func waitReady(ctx context.Context, url string) error {
	ctx, cancel := context.WithTimeout(ctx, readyWait)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	var last error
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("%s answered %s", url, resp.Status)
		}
		last = err
		select {
		case <-ctx.Done():
			return last
		case <-time.After(100 * time.Millisecond):
		}
	}
}

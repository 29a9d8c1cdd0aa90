package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/cohabit/cohabit/services/stack/demo"
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

// announce waits until the gateway reports every backend ready, seeds the demo programme
// (unless COHABIT_DEMO_SEED is off, or an earlier run did), then prints where to go. It
// prints even when readiness does not come within readyWait, or the seed fails, with a
// warning in the log: the URL is what the developer needs to find out what is wrong.
func announce(ctx context.Context, w io.Writer, log *slog.Logger, configured string, bound net.Addr, s settings) {
	base := baseURL(configured, bound)
	ready := true
	if err := waitReady(ctx, base+"/readyz"); err != nil {
		if ctx.Err() != nil {
			return
		}
		ready = false
		log.Warn("gateway not ready yet; printing its URL anyway", "err", err)
	}
	seeded, people := demoText(ctx, log, base, s.demoSeed && ready)
	if ctx.Err() != nil {
		return
	}
	fmt.Fprintf(w, `
Cohabit is running at %[1]s
  REST API  %[1]s/v1/...   OpenAPI  %[1]s/openapi.json   health  %[1]s/readyz

%[2]s
  Sign in at %[1]s/login (development accounts only, programme %[3]q):
    admin        %-36[4]s password %[5]s
    coordinator  %-36[6]s password %[7]s
%[8]s
  Try:  curl -s %[1]s/v1/auth/login -d '{"email":"%[6]s","password":"%[7]s"}'
        scripts/walk.sh %[1]s   walks a whole stay through the REST API

%[11]s
  Data is kept in %[9]s between runs (make clean removes it). Ctrl-C stops everything.
%[10]s
`, base, seeded, demoProgrammeID, demoAdminEmail, demoAdminPassword, demoCoordinatorEmail, demoCoordinatorPassword,
		people, s.dataDir, clusterNote(s), mailNote(s))
}

// demoText seeds the demo programme when asked to, and says what it holds and which people's
// accounts to try.
func demoText(ctx context.Context, log *slog.Logger, base string, seed bool) (holds, people string) {
	if !seed {
		return "  Demo data: none (COHABIT_DEMO_SEED=false, or the platform was not ready).\n", ""
	}
	sum, err := demo.Seed(ctx, base, log, demo.Options{})
	switch {
	case err != nil && ctx.Err() != nil:
		return "", ""
	case err != nil:
		log.Error("demo: seeding the demo programme failed; the platform runs without it", "err", err)
		return "  Demo data: seeding failed (see the log above); the next make run tries again.\n", ""
	}
	when := "seeded now"
	if sum.Already {
		when = "seeded on an earlier run, with whatever you changed since"
	}
	var b strings.Builder
	for _, a := range demo.Accounts {
		fmt.Fprintf(&b, "    %-12s %-36s password %s\n                 %s\n", a.Role, a.Email, a.Password, a.Story)
	}
	return fmt.Sprintf("  Demo programme (%s; every name ends with %q):\n%s", when, demo.Tag, demo.Story), b.String()
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

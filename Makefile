# Cohabit — developer entry points. `make help` lists them.
#
# Every Go command runs in each module of MODULES in turn (a go.work workspace:
# `go test ./...` from the root would only see the root, which is no module).
# Adding a module is one edit of MODULES.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

# go.work pins `toolchain go1.26.10`; auto fetches it through the module proxy.
export GOTOOLCHAIN := auto
# A GOFLAGS from the caller's environment (-mod=vendor, -tags …) would change
# what every target builds; the targets say what they mean instead.
unexport GOFLAGS

MODULES := proto services/platform services/identity services/hosts services/students services/matching services/contracts services/notifications services/desk services/figures gateway services/stack

# Where `make run` keeps its PostgreSQL cluster, NATS store and token keys. Paths are quoted
# in the recipes: a clone may live in a folder whose name has spaces.
COHABIT_DATA_DIR ?= $(CURDIR)/.data
export COHABIT_DATA_DIR
# The shared test cluster services/platform/pgtest starts when
# COHABIT_TEST_DATABASE_URL is unset.
PGTEST_DIR ?= /tmp/cohabit-pgtest

BIN := $(CURDIR)/bin
GENERATED := proto/gen gateway/openapi

.PHONY: help tools generate generate-check lint test fuzz e2e screenshots bench run build clean images k8s-validate cluster soak

help: ## list the targets
	@awk 'BEGIN { FS = ":.*## " } /^[a-z0-9-]+:.*## / { printf "  %-15s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

tools: ## install the pinned code generators (buf, protoc plugins) into ./bin
	@scripts/tools.sh

generate: tools ## regenerate proto/gen/go and gateway/openapi from the .proto files
	cd proto && "$(BIN)/buf" generate

generate-check: generate ## fail when the committed generated code differs from a fresh generate
	@git diff --exit-code --stat -- $(GENERATED) || { \
		echo "generate-check: generated code is stale; run 'make generate' and commit the result" >&2; \
		git diff -- $(GENERATED) | head -100 >&2; exit 1; }
	@untracked=$$(git status --porcelain --untracked-files=all -- $(GENERATED)); \
	if [[ -n $$untracked ]]; then \
		echo "generate-check: generated files not committed:" >&2; echo "$$untracked" >&2; exit 1; \
	fi
	@echo "generate-check: generated code is up to date"

lint: tools ## buf lint, gofmt (generated code excluded), go vet and go mod tidy in every module, govulncheck
	@# Every check runs, so one run reports every problem; any failure fails lint.
	@failed=0; \
	echo "buf lint"; (cd proto && "$(BIN)/buf" lint) || failed=1; \
	files=$$(git ls-files --cached --others --exclude-standard -- '*.go' \
		| grep -Ev '\.pb(\.gw)?\.go$$' | while read -r f; do [[ -f $$f ]] && echo "$$f"; done || true); \
	bad=$$(gofmt -l $$files) || failed=1; \
	if [[ -n $$bad ]]; then echo "gofmt: these files need formatting (gofmt -w):" >&2; echo "$$bad" >&2; failed=1; \
	else echo "gofmt: ok"; fi; \
	for m in $(MODULES); do \
		echo "go vet: $$m"; (cd $$m && go vet ./...) || failed=1; \
		(cd $$m && go mod tidy -diff >/dev/null) || { echo "go mod tidy: $$m/go.mod is not tidy (run go mod tidy there)" >&2; failed=1; }; \
	done; \
	echo "govulncheck (database built offline from golang.org/x/vulndb)"; scripts/vulncheck.sh || failed=1; \
	if (( failed )); then echo "lint: FAILED" >&2; exit 1; fi; echo "lint: ok"

test: ## every module's tests with -race against real PostgreSQL and NATS, deploy checks, fuzz, a short soak with faults, then the browser tests (e2e)
	@scripts/ensure-postgres.sh >/dev/null
	@# The contract document's tests read the PDF back with pdftotext (they fail without it in CI).
	@scripts/ensure-poppler.sh || true
	@failed=(); results=(); for m in $(MODULES); do \
		echo "=== go test $$m"; start=$$SECONDS; \
		if (cd $$m && go test -race -count=1 ./...); then \
			results+=("ok    $$m ($$((SECONDS - start))s)"); \
		else \
			results+=("FAIL  $$m ($$((SECONDS - start))s)"); failed+=("$$m"); \
		fi; \
	done; \
	echo "=== deploy: container images, Kubernetes manifests rendered and validated offline, alert rules checked and tested (promtool)"; start=$$SECONDS; \
	if scripts/images.sh && scripts/k8s-validate.sh && scripts/alerts-check.sh; then \
		results+=("ok    deploy ($$((SECONDS - start))s)"); \
	else \
		results+=("FAIL  deploy ($$((SECONDS - start))s)"); failed+=(deploy); \
	fi; \
	echo "=== fuzz: each Go fuzz target for a few seconds"; start=$$SECONDS; \
	if scripts/fuzz.sh 5s; then \
		results+=("ok    fuzz ($$((SECONDS - start))s)"); \
	else \
		results+=("FAIL  fuzz ($$((SECONDS - start))s)"); failed+=(fuzz); \
	fi; \
	echo "=== soak: the local cluster under load, one kill of each kind (PostgreSQL primary, NATS stream leader, a service replica), then the end checks"; start=$$SECONDS; \
	if scripts/soak-short.sh; then \
		results+=("ok    soak ($$((SECONDS - start))s)"); \
	else \
		results+=("FAIL  soak ($$((SECONDS - start))s)"); failed+=(soak); \
	fi; \
	echo "=== e2e: the web application in headless Chromium"; start=$$SECONDS; \
	if gateway/web/e2e/run.sh; then \
		results+=("ok    e2e ($$((SECONDS - start))s)"); \
	else \
		results+=("FAIL  e2e ($$((SECONDS - start))s)"); failed+=(e2e); \
	fi; \
	echo "=== summary"; printf '%s\n' "$${results[@]}"; \
	if (( $${#failed[@]} )); then echo "test: failed in: $${failed[*]}" >&2; exit 1; fi

fuzz: ## longer fuzzing: each Go fuzz target for FUZZTIME (2m), then the OpenAPI fuzz test with FUZZ_ROUNDS (20) rounds of random mutations
	scripts/fuzz.sh $(or $(FUZZTIME),2m)
	@scripts/ensure-postgres.sh >/dev/null
	cd services/stack && COHABIT_FUZZ_ROUNDS=$(or $(FUZZ_ROUNDS),20) go test -count=1 -v -run '^TestOpenAPIFuzz$$' ./journey | grep -E '^(---|ok|FAIL|PASS)|OpenAPI fuzz|fuzz_test'

e2e: ## only the browser tests: the journey in headless Chromium with axe-core (installs chromium and npm packages when missing)
	gateway/web/e2e/run.sh

screenshots: ## the browser tests, writing the README's screenshots to docs/screenshots, and the contract PDF's pages
	COHABIT_E2E_SCREENSHOTS="$(CURDIR)/docs/screenshots" gateway/web/e2e/run.sh
	scripts/ensure-poppler.sh
	cd services/contracts && COHABIT_SCREENSHOTS="$(CURDIR)/docs/screenshots" go test -count=1 -run '^TestScreenshot$$' ./internal/document

bench: ## run every module's Go benchmarks (-short), then print the benchmark table: ratios measured in one run, each with its goal
	@# The table (scripts/bench-table.sh) comes last: candidates over 500/5,000/50,000
	@# applications, REST against gRPC, the outbox's cost, an event's latency, allocation
	@# against scipy. The longer harnesses run by hand: scripts/bench-matching.sh (top-K
	@# percentiles, 20k allocation), scripts/bench-http.sh (more endpoints).
	@failed=0; for m in $(MODULES); do \
		echo "=== go test -bench $$m"; \
		(cd $$m && go test -run='^$$' -bench=. -benchmem -short ./...) || failed=1; \
	done; \
	echo "=== benchmark table"; scripts/bench-table.sh || failed=1; \
	exit $$failed

run: ## start PostgreSQL, NATS, every service and the gateway locally (Ctrl-C stops all)
	@scripts/ensure-postgres.sh >/dev/null
	@# Built then exec'd rather than `go run`: go run exits 1 on Ctrl-C even when the
	@# program shut down cleanly, and make would report that as a failure.
	cd services/stack && go build -o "$(BIN)/cohabit" ./cmd/cohabit
	exec "$(BIN)/cohabit"

cluster: build ## a local cluster: 3 etcd, 3 PostgreSQL under Patroni, 3 NATS nodes, 2 replicas of every service and gateway (Ctrl-C stops all)
	@scripts/ensure-cluster-tools.sh
	COHABIT_CLUSTER_DIR="$(COHABIT_DATA_DIR)/cluster" exec "$(BIN)/cluster" up

soak: build ## the local cluster under load with faults (SIGKILL of replicas, the NATS stream leader, the PostgreSQL primary), then its report
	@scripts/ensure-cluster-tools.sh
	rm -rf "$(COHABIT_DATA_DIR)/soak"
	COHABIT_CLUSTER_DIR="$(COHABIT_DATA_DIR)/soak" COHABIT_CLUSTER_PORT_BASE=19300 "$(BIN)/cluster" soak

images: ## container images of every service, the gateway and natsnode, without Docker (bin/images/*.tar)
	scripts/images.sh

k8s-validate: ## render deploy/k8s's overlays (kustomize) and validate them offline (kubeconform -strict)
	scripts/k8s-validate.sh

build: ## build every module's commands into ./bin
	@mkdir -p "$(BIN)"
	@for m in $(MODULES); do \
		if [[ -d $$m/cmd ]]; then echo "go build $$m/cmd/..."; (cd $$m && go build -o "$(BIN)/" ./cmd/...); fi; \
	done

clean: ## stop and remove the local data (.data, and its cluster when kept in /var/lib/cohabit/pg) and the shared test cluster
	@stop() { \
		local dir=$$1 bin; [[ -f $$dir/postmaster.pid ]] || return 0; \
		bin=$$(scripts/ensure-postgres.sh); echo "stopping PostgreSQL in $$dir"; \
		if [[ $$(id -u) -eq 0 ]]; then \
			(cd / && runuser -u postgres -- "$$bin/pg_ctl" stop -D "$$dir" -m fast -w -s) || true; \
		else \
			"$$bin/pg_ctl" stop -D "$$dir" -m fast -w -s || true; \
		fi; \
	}; \
	stop "$(COHABIT_DATA_DIR)/pg"; \
	elsewhere=$$(cat "$(COHABIT_DATA_DIR)/pg.location" 2>/dev/null || true); \
	if [[ $$elsewhere == /var/lib/cohabit/pg/?* ]]; then stop "$$elsewhere"; rm -rf "$$elsewhere"; fi; \
	for pid in $$(find "$(PGTEST_DIR)" -maxdepth 2 -name postmaster.pid 2>/dev/null); do stop "$$(dirname "$$pid")"; done
	rm -rf "$(COHABIT_DATA_DIR)" "$(PGTEST_DIR)"

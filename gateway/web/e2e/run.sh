#!/usr/bin/env bash
# End-to-end tests of the web application in a real headless Chromium.
#
#   gateway/web/e2e/run.sh            (from anywhere; about a minute)
#
# 1. installs Debian's chromium and chromium-l10n when missing (as root; otherwise says what
#    to install), and the locked npm packages (playwright-core, axe-core) with npm ci;
# 2. builds services/stack/cmd/cohabit and starts the whole platform on a fresh data folder
#    and free ports (PostgreSQL and NATS as `make run` provisions them, beside it if it runs);
# 3. tests the keyboard sweep (keyboard.test.mjs), then walks the journey through the pages
#    (journey.mjs): coordinator, host, student, in French and in English, axe-core and the
#    keyboard sweep on every page; fails on any serious or critical violation, any keyboard
#    problem, any script error. A screenshot of every audited page goes to gateway/web/e2e/artifacts/, the
#    ones the README shows and axe-report.json to artifacts/screenshots/ (not committed:
#    for CI to keep). `make screenshots` writes the README's to docs/screenshots/ instead.
#
# Environment: COHABIT_E2E_KEEP=1 keeps the data folder and the stack's log;
# COHABIT_E2E_SCREENSHOTS=<dir> and COHABIT_E2E_ARTIFACTS=<dir> write elsewhere.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
export GOTOOLCHAIN=auto
unset GOFLAGS
start=$SECONDS

log() { echo "e2e: $*" >&2; }

# --- Chromium, with its translations (chromium-l10n): the browser's own widgets follow its
# language, so a date input shows jj/mm/aaaa to French users only when the French locale is
# installed; journey.mjs starts Chromium in French (LANGUAGE=fr_FR, --lang=fr-FR).
chromium=/usr/bin/chromium
need=()
[[ -x $chromium ]] || need+=(chromium fonts-dejavu-core)
dpkg -s chromium-l10n >/dev/null 2>&1 || need+=(chromium-l10n)
# As root, or through sudo when it needs no password; a mirror that fails once is asked again.
as_root=()
if [[ $(id -u) -ne 0 ]] && sudo -n true 2>/dev/null; then as_root=(sudo -n); fi
install_packages() {
	local try
	for try in 1 2 3; do
		if "${as_root[@]}" apt-get update -qq &&
			"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null; then
			return 0
		fi
		log "apt-get failed (attempt $try of 3)"
		sleep $((try * 10))
	done
	return 1
}
if ((${#need[@]})); then
	if [[ $(id -u) -ne 0 && ${#as_root[@]} -eq 0 ]]; then
		if [[ ! -x $chromium ]]; then
			log "Debian's chromium is missing: run 'sudo apt-get install -y ${need[*]}' and try again"
			exit 1
		fi
		log "chromium-l10n is missing ('sudo apt-get install -y chromium-l10n'): date inputs will show the English format"
	else
		log "installing ${need[*]}"
		install_packages "${need[@]}" || { log "could not install ${need[*]}"; exit 1; }
	fi
fi

# --- npm packages, exactly as locked
if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
	log "npm ci"
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- The platform: PostgreSQL binaries, then the all-in-one runner on a fresh data folder
"$root/scripts/ensure-postgres.sh" >/dev/null
# Its own ports, so that the tests run beside `make run` (15432, 4333, 8080): free ones
# below Linux's ephemeral range (32768–60999), where no outgoing connection can take one
# between this check and the server's start.
taken=" "
free_port() {
	local p
	for _ in $(seq 1 200); do
		p=$((16000 + RANDOM % 16000))
		[[ $taken == *" $p "* ]] && continue
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
	done
	log "no free local port found"
	return 1
}
pg_port=$(free_port) && taken+="$pg_port "
nats_port=$(free_port) && taken+="$nats_port "
port=$(free_port)

work=$(mktemp -d /tmp/cohabit-e2e.XXXXXX)
# PostgreSQL runs as the postgres user when we are root: it must reach its folder.
chmod 755 "$work"
stack_pid=
cleanup() {
	local rc=$?
	if [[ -n $stack_pid ]] && kill -0 "$stack_pid" 2>/dev/null; then
		kill -INT "$stack_pid" 2>/dev/null || true
		for _ in $(seq 1 100); do kill -0 "$stack_pid" 2>/dev/null || break; sleep 0.1; done
		kill -KILL "$stack_pid" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -f $work/stack.log ]]; then
		log "last lines of the platform's log:"
		tail -n 30 "$work/stack.log" >&2 || true
	fi
	if [[ ${COHABIT_E2E_KEEP:-} == 1 ]]; then
		log "kept $work"
	else
		rm -rf "$work"
	fi
	log "took $((SECONDS - start))s"
	exit $rc
}
trap cleanup EXIT

log "building the platform"
(cd "$root/services/stack" && go build -o "$work/cohabit" ./cmd/cohabit)

base="http://127.0.0.1:$port"
log "starting the platform on $base (data in $work/data)"
env COHABIT_DATA_DIR="$work/data" COHABIT_HTTP_ADDR="127.0.0.1:$port" \
	COHABIT_LOCAL_PG_PORT="$pg_port" COHABIT_LOCAL_NATS_PORT="$nats_port" \
	COHABIT_IDENTITY_GRPC_ADDR=127.0.0.1:0 COHABIT_HOSTS_GRPC_ADDR=127.0.0.1:0 \
	COHABIT_STUDENTS_GRPC_ADDR=127.0.0.1:0 COHABIT_MATCHING_GRPC_ADDR=127.0.0.1:0 \
	COHABIT_CONTRACTS_GRPC_ADDR=127.0.0.1:0 COHABIT_LOG_LEVEL=warn \
	"$work/cohabit" >"$work/stack.out" 2>"$work/stack.log" &
stack_pid=$!

for _ in $(seq 1 240); do
	if curl -fsS -o /dev/null "$base/readyz" 2>/dev/null; then break; fi
	if ! kill -0 "$stack_pid" 2>/dev/null; then log "the platform stopped"; exit 1; fi
	sleep 0.5
done
curl -fsS -o /dev/null "$base/readyz" || { log "the platform is not ready after 2 minutes"; exit 1; }
log "platform ready after $((SECONDS - start))s"

log "the keyboard sweep's own tests"
(cd "$here" && node --test --test-reporter=dot keyboard.test.mjs)

COHABIT_E2E_URL=$base \
	COHABIT_E2E_SCREENSHOTS=${COHABIT_E2E_SCREENSHOTS:-$here/artifacts/screenshots} \
	COHABIT_E2E_ARTIFACTS=${COHABIT_E2E_ARTIFACTS:-$here/artifacts} \
	COHABIT_E2E_PROFILE="$work/chromium-profile" \
	node "$here/journey.mjs"

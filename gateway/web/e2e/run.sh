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
# shellcheck source-path=SCRIPTDIR source=../../../scripts/lib/stack.sh
source "$root/scripts/lib/stack.sh"

# --- Chromium, with its translations (chromium-l10n): the browser's own widgets follow its
# language, so a date input shows jj/mm/aaaa to French users only when the French locale is
# installed; journey.mjs starts Chromium in French (LANGUAGE=fr_FR, --lang=fr-FR).
chromium=/usr/bin/chromium
need=()
[[ -x $chromium ]] || need+=(chromium fonts-dejavu-core)
dpkg -s chromium-l10n >/dev/null 2>&1 || need+=(chromium-l10n)
if ((${#need[@]})); then
	if can_install; then
		log "installing ${need[*]}"
		apt_install "${need[@]}"
	elif [[ ! -x $chromium ]]; then
		log "Debian's chromium is missing: run 'sudo apt-get install -y ${need[*]}' and try again"
		exit 1
	else
		log "chromium-l10n is missing ('sudo apt-get install -y chromium-l10n'): date inputs will show the English format"
	fi
fi

# --- npm packages, exactly as locked
if [[ ! -f $here/node_modules/.package-lock.json || $here/package-lock.json -nt $here/node_modules/.package-lock.json ]]; then
	log "npm ci"
	(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- The platform: PostgreSQL binaries, then the all-in-one runner on a fresh data folder
"$root/scripts/ensure-postgres.sh" >/dev/null
work=$(mktemp -d /tmp/cohabit-e2e.XXXXXX)
cleanup() {
	local rc=$?
	stack_stop "$rc" "$work"
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
# Its own ports, so that the tests run beside `make run` (15432, 4333, 8080).
stack_start "$work"
base=$STACK_URL

log "the keyboard sweep's own tests"
(cd "$here" && node --test --test-reporter=dot keyboard.test.mjs)

COHABIT_E2E_URL=$base \
	COHABIT_E2E_SCREENSHOTS=${COHABIT_E2E_SCREENSHOTS:-$here/artifacts/screenshots} \
	COHABIT_E2E_ARTIFACTS=${COHABIT_E2E_ARTIFACTS:-$here/artifacts} \
	COHABIT_E2E_PROFILE="$work/chromium-profile" \
	COHABIT_E2E_MAIL="$work/data/mail" \
	node "$here/journey.mjs"

#!/usr/bin/env bash
# HTTP load benchmark of the public REST API and the coordinator's web dashboard, with wrk.
#
# 1. installs Debian's wrk when missing (as root, or through sudo);
# 2. builds services/stack/cmd/cohabit and starts the whole platform on a fresh data folder
#    and free ports (as gateway/web/e2e/run.sh does), beside `make run` if it runs;
# 3. seeds a programme through the REST API (services/stack/cmd/benchseed): 100 verified
#    hosts each with a published room, 500 verified students each with a submitted
#    application, around Lyon; then signs in to the web application as the coordinator;
# 4. loads each endpoint with wrk for a fixed time after a short warm-up (2 threads,
#    8 connections) and prints requests/s, p50 and p99 latency, each as a ratio against
#    GET /healthz (the gateway alone, no backend call) measured in the same run.
# Fails when any answer is not 200 or any socket error occurs. Timings only mean something on
# a quiet machine: wrk and the platform share its cores.
#
# Usage: scripts/bench-http.sh [--quick]   (--quick: 30 hosts, 100 students, 3 s per endpoint)
# Environment: COHABIT_BENCH_KEEP=1 keeps the data folder and the platform's log.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export GOTOOLCHAIN=auto
unset GOFLAGS
start=$SECONDS

log() { echo "bench-http: $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=lib/stack.sh
source "$root/scripts/lib/stack.sh"

quick=0
[[ ${1:-} == --quick ]] && quick=1
if ((quick)); then
	hosts=30 students=100 duration=3s warmup=1s
else
	hosts=100 students=500 duration=10s warmup=2s
fi
threads=2 connections=8

# --- wrk (Debian's), installed as root or through sudo when it needs no password
command -v wrk >/dev/null || { log "installing wrk (Debian)"; apt_install wrk; }

# --- The platform: PostgreSQL binaries, then the all-in-one runner on a fresh data folder
# and free ports, beside `make run` if it runs.
"$root/scripts/ensure-postgres.sh" >/dev/null
work=$(mktemp -d /tmp/cohabit-bench-http.XXXXXX)
cleanup() {
	local rc=$?
	stack_stop "$rc" "$work"
	if [[ ${COHABIT_BENCH_KEEP:-} == 1 ]]; then
		log "kept $work"
	else
		rm -rf "$work"
	fi
	log "took $((SECONDS - start))s"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "building the platform and the seeder"
(cd "$root/services/stack" && go build -o "$work/cohabit" ./cmd/cohabit && go build -o "$work/benchseed" ./cmd/benchseed)
stack_start "$work"
base=$STACK_URL

# --- Seed: benchseed prints BENCH_TOKEN=, BENCH_SESSION=, BENCH_ROOM= lines.
log "seeding $hosts hosts with a room each and $students students with an application each"
"$work/benchseed" -url "$base" -hosts "$hosts" -students "$students" -concurrency 8 >"$work/seed.env"
token="" session="" room=""
while IFS='=' read -r key value; do
	case $key in
	BENCH_TOKEN) token=$value ;;
	BENCH_SESSION) session=$value ;;
	BENCH_ROOM) room=$value ;;
	esac
done <"$work/seed.env"
[[ -n $token && -n $session && -n $room ]] || { log "the seeder printed no token, session or room"; exit 1; }

# --- Load: one wrk run per endpoint, after a warm-up run whose figures are dropped.
# name|path|auth (bearer, cookie or none)
endpoints=(
	"GET /healthz (baseline)|/healthz|none"
	"GET /v1/rooms?pageSize=50|/v1/rooms?pageSize=50|bearer"
	"GET /v1/rooms/{id}/candidates?pageSize=20|/v1/rooms/$room/candidates?pageSize=20|bearer"
	"GET /v1/students?pageSize=50|/v1/students?pageSize=50|bearer"
	"GET /coordinator (web dashboard)|/coordinator|cookie"
)
results=()
failed=0
for e in "${endpoints[@]}"; do
	IFS='|' read -r name path auth <<<"$e"
	authz="" cookie=""
	case $auth in
	bearer) authz="Bearer $token" ;;
	cookie) cookie="cohabit_session=$session" ;;
	esac
	log "$name: warm-up $warmup, then $duration"
	BENCH_AUTHORIZATION=$authz BENCH_COOKIE=$cookie \
		wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 10s -s "$root/scripts/bench-http.lua" "$base$path" >/dev/null
	out=$(BENCH_AUTHORIZATION=$authz BENCH_COOKIE=$cookie \
		wrk -t"$threads" -c"$connections" -d"$duration" --timeout 10s -s "$root/scripts/bench-http.lua" "$base$path")
	line=$(grep '^BENCH ' <<<"$out") || { echo "$out" >&2; log "$name: wrk printed no figures"; exit 1; }
	# BENCH requests=N rps=X p50_us=N p99_us=N not200=N socket_errors=N
	declare -A f=()
	for kv in ${line#BENCH }; do f[${kv%%=*}]=${kv#*=}; done
	if ((f[not200] != 0 || f[socket_errors] != 0 || f[requests] == 0)); then
		log "$name: ${f[not200]} answers not 200 and ${f[socket_errors]} socket errors in ${f[requests]} requests"
		failed=1
	fi
	results+=("$name|${f[rps]}|${f[p50_us]}|${f[p99_us]}|${f[requests]}|${f[not200]}")
	unset f
done

echo
echo "HTTP load: wrk -t$threads -c$connections -d$duration per endpoint after a $warmup warm-up; $hosts rooms, $students applications; $(nproc) cores"
echo "ratios against GET /healthz measured in the same run (req/s ratio: higher is better; latency ratios: lower is better)"
printf '%s\n' "${results[@]}" | awk -F'|' '
	NR == 1 { brps = $2; bp50 = $3; bp99 = $4 }
	{ rows[NR] = $0 }
	END {
		printf "%-42s %10s %8s %9s %8s %9s %8s %8s\n", "endpoint", "req/s", "÷ base", "p50 ms", "÷ base", "p99 ms", "÷ base", "not 200"
		for (i = 1; i <= NR; i++) {
			split(rows[i], f, "|")
			printf "%-42s %10.0f %8.3f %9.2f %8.1f %9.2f %8.1f %8d\n", f[1], f[2], f[2] / brps, f[3] / 1000, f[3] / bp50, f[4] / 1000, f[4] / bp99, f[6]
		}
	}'
if ((failed)); then
	log "FAILED: some answers were not 200 (see above)"
	exit 1
fi

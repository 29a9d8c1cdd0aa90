#!/usr/bin/env bash
# The benchmark table (issue 19): ONE table of ratios measured in the same run, each row with
# its goal and whether it holds. Absolute figures move with whatever else uses the machine's
# cores; ratios of figures measured side by side move far less, so each row compares with a
# baseline measured next to it.
#
#  1. Starts the whole platform on a fresh data folder and free ports (scripts/lib/stack.sh),
#     the hosts service's gRPC on a known port; seeds a programme through the REST API
#     (services/stack/cmd/benchseed: 100 rooms, 500 applications) and signs in as its
#     coordinator.
#  2. For pools of 500, 5,000 and 50,000 applications (grown by services/matching's poolseed,
#     straight into the matching database's copy of the pool, which moves its version: the
#     service rebuilds its pool in memory on the next read, during wrk's warm-up), loads with
#     wrk, one after the other: GET /healthz, GET /v1/rooms/{id}, and
#     GET /v1/rooms/{id}/candidates?pageSize=20 (the room every student can take).
#  3. Beside GET /v1/rooms/{id}, alternated with it twice, the same read over gRPC directly (ghz, hosts'
#     GetRoom, same connections).
#  4. Go benchmarks: a write with its outbox row against the same write without, and the
#     commit-to-consumer latency of an event (services/platform/outbox); allocation against
#     scipy on one instance (services/matching/bench/cmd/allocbench).
#
# Usage: scripts/bench-table.sh [--quick]   (--quick: 3 s per load, pools of 500/2,000/5,000,
#                                            a 5k × 5k allocation)
# Environment: COHABIT_BENCH_KEEP=1 keeps the data folder and the platform's log.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export GOTOOLCHAIN=auto
unset GOFLAGS
start=$SECONDS

log() { echo "bench-table: $*" >&2; }
# shellcheck source-path=SCRIPTDIR source=lib/stack.sh
source "$root/scripts/lib/stack.sh"

quick=0
[[ ${1:-} == --quick ]] && quick=1
if ((quick)); then
	pools=(500 2000 5000) duration=3s warmup=2s alloc=5000 events=300
else
	pools=(500 5000 50000) duration=8s warmup=3s alloc=20000 events=1000
fi
threads=2 connections=8
# The pools held in memory: 50,000 applications take about 60 MiB.
export COHABIT_MATCHING_POOL_MEMORY=${COHABIT_MATCHING_POOL_MEMORY:-512}

# --- Tools: wrk and scipy (Debian's), ghz (Go, pinned).
command -v wrk >/dev/null || { log "installing wrk (Debian)"; apt_install wrk; }
"$root/scripts/bench-setup.sh"
ghz="$root/bin/ghz"
if [[ ! -x $ghz ]]; then
	log "installing ghz into bin/"
	GOBIN="$root/bin" go install github.com/bojand/ghz/cmd/ghz@v0.93.0
fi

pg_bin=$("$root/scripts/ensure-postgres.sh")
work=$(mktemp -d /tmp/cohabit-bench-table.XXXXXX)
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

log "building the platform and the tools"
(cd "$root/services/stack" && go build -o "$work/cohabit" ./cmd/cohabit && go build -o "$work/benchseed" ./cmd/benchseed)
(cd "$root/services/matching" && go build -o "$work/poolseed" ./bench/cmd/poolseed && go build -o "$work/protoset" ./bench/cmd/protoset &&
	go build -o "$work/allocbench" ./bench/cmd/allocbench)
"$work/protoset" -o "$work/hosts.protoset"

grpc_port=$(free_port) || exit 1
export STACK_HOSTS_GRPC_ADDR="127.0.0.1:$grpc_port"
stack_start "$work"
base=$STACK_URL
db="postgres://postgres@127.0.0.1:$STACK_PG_PORT/cohabit_matching?sslmode=disable"
# pool_version: the benchmark programme's pool version (0 before any), to tell whether the
# pool moved during a load (each move makes the next read rebuild it).
pool_version() {
	"$pg_bin/psql" -qtAX "$db" -c "SELECT coalesce(max(v.version), 0) FROM pool_rooms r
		LEFT JOIN pool_versions v ON v.programme_id = r.programme_id WHERE r.room_id = '$room'"
}

log "seeding 100 hosts with a room each and ${pools[0]} students with an application each"
"$work/benchseed" -url "$base" -hosts 100 -students "${pools[0]}" -concurrency 8 >"$work/seed.env"
token="" room=""
while IFS='=' read -r key value; do
	case $key in
	BENCH_TOKEN) token=$value ;;
	BENCH_ROOM) room=$value ;;
	esac
done <"$work/seed.env"
[[ -n $token && -n $room ]] || { log "the seeder printed no token or room"; exit 1; }

# load NAME PATH: wrk after a warm-up; sets rps, p50 (ms), p99 (ms). Fails on any answer
# that is not 200.
load() {
	local name=$1 path=$2 out line
	log "$name: warm-up $warmup, then $duration"
	BENCH_AUTHORIZATION="Bearer $token" BENCH_COOKIE="" \
		wrk -t"$threads" -c"$connections" -d"$warmup" --timeout 20s -s "$root/scripts/bench-http.lua" "$base$path" >/dev/null
	out=$(BENCH_AUTHORIZATION="Bearer $token" BENCH_COOKIE="" \
		wrk -t"$threads" -c"$connections" -d"$duration" --timeout 20s -s "$root/scripts/bench-http.lua" "$base$path")
	line=$(grep '^BENCH ' <<<"$out") || { echo "$out" >&2; log "$name: wrk printed no figures"; exit 1; }
	declare -A f=()
	for kv in ${line#BENCH }; do f[${kv%%=*}]=${kv#*=}; done
	if ((f[not200] != 0 || f[socket_errors] != 0 || f[requests] == 0)); then
		log "$name: ${f[not200]} answers not 200 and ${f[socket_errors]} socket errors in ${f[requests]} requests"
		exit 1
	fi
	rps=${f[rps]} p50=$(awk -v u="${f[p50_us]}" 'BEGIN { printf "%.2f", u / 1000 }') p99=$(awk -v u="${f[p99_us]}" 'BEGIN { printf "%.2f", u / 1000 }')
	log "$name: $rps req/s, p50 $p50 ms, p99 $p99 ms"
}

rows=() # what|figure|ratio|goal|holds
# row WHAT FIGURE RATIO GOAL_OP GOAL: GOAL_OP is >= or <=, or - for no goal.
row() {
	local holds="—" goal="—"
	if [[ $4 != - ]]; then
		goal="$4 $5"
		holds=$(awk -v r="$3" -v g="$5" -v op="$4" 'BEGIN { ok = (op == ">=") ? (r >= g) : (r <= g); print ok ? "yes" : "**no**" }')
	fi
	rows+=("$1|$2|$3|$goal|$holds")
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

# --- REST against gRPC directly: GET /v1/rooms/{id} and hosts' GetRoom, alternated twice
# (the machine's load moves within seconds; each side gets both moments).
ghz_args=(--insecure --protoset "$work/hosts.protoset" --call cohabit.hosts.v1.HostService/GetRoom
	-d "{\"id\":\"$room\"}" --metadata "{\"authorization\":\"Bearer $token\"}"
	-c "$connections" --connections "$connections" "127.0.0.1:$grpc_port")
rest_sum=0 grpc_sum=0
for round in 1 2; do
	load "GET /v1/rooms/{id} (round $round)" "/v1/rooms/$room"
	rest_rps=$rps
	# A request count rather than a duration: a run cut at its deadline counts its last calls
	# as errors. About as many calls as the REST read made in its time, after a third as many.
	calls=$(awk -v r="$rest_rps" -v d="${duration%s}" 'BEGIN { printf "%d", r * d + 100 }')
	log "gRPC GetRoom (ghz, round $round): $((calls / 3)) calls, then $calls"
	"$ghz" "${ghz_args[@]}" -n "$((calls / 3))" -O json >/dev/null
	"$ghz" "${ghz_args[@]}" -n "$calls" -O json >"$work/ghz.json"
	read -r grpc_rps grpc_ok grpc_total < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["rps"], r.get("statusCodeDistribution", {}).get("OK", 0), r["count"])' "$work/ghz.json")
	[[ $grpc_ok == "$grpc_total" ]] || {
		log "gRPC GetRoom: $grpc_ok OK of $grpc_total"
		python3 -m json.tool "$work/ghz.json" | grep -A5 errorDistribution >&2
		exit 1
	}
	log "gRPC GetRoom: $grpc_rps req/s"
	rest_sum=$(awk -v a="$rest_sum" -v b="$rest_rps" 'BEGIN { print a + b }')
	grpc_sum=$(awk -v a="$grpc_sum" -v b="$grpc_rps" 'BEGIN { print a + b }')
done
row "REST \`GET /v1/rooms/{id}\` ÷ the same read over gRPC directly (req/s, mean of 2 rounds each)" \
	"$(awk -v a="$rest_sum" -v b="$grpc_sum" 'BEGIN { printf "%.0f ÷ %.0f", a / 2, b / 2 }')" "$(ratio "$rest_sum" "$grpc_sum")" ">=" 0.9

# --- Candidates over each pool, each beside its baselines. First, the events the seeding set
# off (verifications, documents…) are let through: a pool still moving rebuilds on each read.
for _ in $(seq 1 30); do
	v=$(pool_version)
	sleep 2
	[[ $(pool_version) == "$v" ]] && break
done
pool_line=""
for n in "${pools[@]}"; do
	if ((n > pools[0])); then
		log "growing the pool to $n applications"
		pool_line=$("$work/poolseed" -db "$db" -room "$room" -applications "$n" | grep '^POOL ')
		log "$pool_line"
		# One read first, so that the service's rebuild (seconds for 50,000 on a busy machine)
		# is over before the warm-up, not inside the measured window.
		curl -fsS -o /dev/null --max-time 120 -H "Authorization: Bearer $token" "$base/v1/rooms/$room/candidates?pageSize=20"
	fi
	load "GET /healthz" "/healthz"
	health_rps=$rps
	load "GET /v1/rooms/{id}" "/v1/rooms/$room"
	get_rps=$rps
	v0=$(pool_version)
	load "candidates over $n" "/v1/rooms/$room/candidates?pageSize=20"
	cand_rps=$rps cand_p50=$p50 cand_p99=$p99
	v1=$(pool_version)
	moved=""
	if ((v1 != v0)); then
		moved="; the pool moved $((v1 - v0)) times during the load"
		log "candidates over $n: the pool's version went from $v0 to $v1 during the load (events still arriving)"
	fi
	goal=0.2
	((n >= 50000)) && goal=0.05
	label=$(printf "%'d" "$n")
	row "candidates (pageSize 20) over $label applications ÷ \`GET /healthz\` (req/s)" \
		"$(printf '%.0f ÷ %.0f' "$cand_rps" "$health_rps")" "$(ratio "$cand_rps" "$health_rps")" - -
	row "candidates over $label ÷ \`GET /v1/rooms/{id}\` (req/s); candidates p50 $cand_p50 ms, p99 $cand_p99 ms$moved" \
		"$(printf '%.0f ÷ %.0f' "$cand_rps" "$get_rps")" "$(ratio "$cand_rps" "$get_rps")" ">=" "$goal"
done
# The largest pool in memory (poolseed builds it as the service does after a change: read
# whole, and patched from the pool held before one student changed).
if [[ -n $pool_line ]]; then
	declare -A pf=()
	for kv in ${pool_line#POOL }; do pf[${kv%%=*}]=${kv#*=}; done
	row "memory of the pool of $(printf "%'d" "${pf[applications]}") applications ÷ its budget (COHABIT_MATCHING_POOL_MEMORY)" \
		"$(awk -v b="${pf[bytes]}" 'BEGIN { printf "%.1f MiB", b / 1048576 }') ÷ $COHABIT_MATCHING_POOL_MEMORY MiB" \
		"$(awk -v b="${pf[bytes]}" -v m="$COHABIT_MATCHING_POOL_MEMORY" 'BEGIN { printf "%.3f", b / (m * 1048576) }')" "<=" 1
	row "the pool of $(printf "%'d" "${pf[applications]}") after one student changed: patched (what changed read again) ÷ read whole and rebuilt (time, medians of 3 alternated)" \
		"${pf[patch_ms]} ms ÷ ${pf[build_ms]} ms" "$(ratio "${pf[patch_ms]}" "${pf[build_ms]}")" - -
fi
stack_stop 0 "$work"
STACK_PID=""

# --- Go benchmarks: the outbox's cost and an event's latency.
log "outbox: write with and without; commit to consumer ($events events)"
out=$(cd "$root/services/platform" && go test -run '^$' -bench 'BenchmarkWriteWithOutbox|BenchmarkCommitToConsumer' -benchtime "${events}x" ./outbox/)
metric() { # metric BENCH UNIT: the value before UNIT on BENCH's line
	awk -v b="$1" -v u="$2" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i <= NF; i++) if ($i == u) print $(i - 1) }' <<<"$out"
}
plain=$(metric BenchmarkWriteWithOutbox plain-µs) with=$(metric BenchmarkWriteWithOutbox outbox-µs)
row "a write with its outbox row ÷ the same write without (writes/s)" \
	"$(printf '%.0f µs vs %.0f µs a write' "$with" "$plain")" "$(metric BenchmarkWriteWithOutbox outbox-ratio)" ">=" 0.9
p50=$(metric BenchmarkCommitToConsumer p50-ms) p99=$(metric BenchmarkCommitToConsumer p99-ms)
row "commit to consumer of an event, p99 in ms (p50 $(printf '%.2f' "$p50") ms)" "$(printf '%.2f ms' "$p99")" "$(printf '%.2f' "$p99")" "<=" 50

# --- Allocation against scipy, same instance.
log "allocation: $alloc × $alloc, Go and scipy, 3 runs each"
out=$("$work/allocbench" -students "$alloc" -rooms "$alloc" -repeat 3)
echo "$out" >&2
alloc_ratio=$(awk '/^ratio go\/scipy/ { print $3 }' <<<"$out")
equal=$(awk '/^ratio go\/scipy/ { print $NF }' <<<"$out")
go_s=$(awk '/^go / { for (i = 1; i <= NF; i++) if ($i == "median") print $(i + 1) }' <<<"$out")
sp_s=$(awk '/^scipy / { for (i = 1; i <= NF; i++) if ($i == "median") print $(i + 1) }' <<<"$out")
[[ $equal == true ]] || { log "allocation: the objectives differ"; exit 1; }
row "allocation $(printf "%'d" "$alloc") × $(printf "%'d" "$alloc"), Go ÷ scipy (time; same optimum)" "${go_s} s ÷ ${sp_s} s" "$alloc_ratio" "<=" 1

echo
echo "Benchmark table ($(date -u +%Y-%m-%d), $(nproc) cores; wrk -t$threads -c$connections -d$duration after a $warmup warm-up; ratios of figures measured side by side in this run)"
echo
echo "| measure | figures | ratio | goal | holds |"
echo "|---|---|---|---|---|"
for r in "${rows[@]}"; do
	IFS='|' read -r what fig rat goal holds <<<"$r"
	echo "| $what | $fig | $rat | $goal | $holds |"
done

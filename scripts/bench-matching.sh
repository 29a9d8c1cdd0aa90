#!/usr/bin/env bash
# Benchmarks of the matching service (services/matching): Go benchmarks with -benchmem, then
# the harnesses that print what a benchmark's mean hides:
#   topkbench   top-K latency percentiles (p50/p90/p99) over 100k students, one core,
#               with and without the spatial prefilter;
#   allocbench  the 20k × 20k allocation timed against scipy's
#               min_weight_full_bipartite_matching on the same instance, with the ratio and
#               whether both objectives are equal.
# Timings only mean something on a quiet machine: run it when nothing else is running.
#
# Usage: scripts/bench-matching.sh [--quick]   (--quick: 5k × 5k allocation, fewer rooms)
set -euo pipefail
export GOTOOLCHAIN=auto
unset GOFLAGS
cd "$(dirname "$0")/.."

quick=0
[[ ${1:-} == --quick ]] && quick=1

# scipy for the comparison (Debian's python3-scipy); installs it when missing.
scripts/bench-setup.sh

cd services/matching
echo "=== go test -bench (services/matching)"
short=()
(( quick )) && short=(-short) # -short skips BenchmarkAssign20k
go test -run='^$' -bench=. -benchmem "${short[@]}" ./internal/score/ ./internal/assign/ ./internal/geo/ ./bench/ ./service/

echo "=== topkbench"
go run ./bench/cmd/topkbench -queries $(( quick ? 300 : 2000 ))

echo "=== allocbench"
if (( quick )); then
	go run ./bench/cmd/allocbench -students 5000 -rooms 5000 -repeat 3
else
	go run ./bench/cmd/allocbench -students 20000 -rooms 20000 -repeat 3
fi

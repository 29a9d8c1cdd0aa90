#!/usr/bin/env bash
# Runs every Go native fuzz target of the workspace (func FuzzX(f *testing.F)) for a while
# each: `scripts/fuzz.sh 5s` in make test, `scripts/fuzz.sh 2m` in make fuzz. Their seed
# corpora (f.Add, and testdata/fuzz/ when a run found something) also run as plain tests in
# every `go test`. A failure leaves the input under testdata/fuzz/<target>/: commit it with
# the fix, and it stays a regression test.
#
# Usage: scripts/fuzz.sh [fuzztime] (default 5s)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-5s}
failed=0
count=0
# `go test -fuzz` takes one target of one package at a time.
while IFS= read -r file; do
	dir=$(dirname "$file")
	module=$dir
	while [[ ! -f $module/go.mod ]]; do module=$(dirname "$module"); done
	for target in $(grep -oE '^func Fuzz[A-Za-z0-9_]+' "$file" | sed 's/^func //'); do
		echo "=== fuzz $target ($dir, $fuzztime)"
		count=$((count + 1))
		if ! (cd "$module" && go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "./${dir#"$module"/}" 2>&1 | tail -3); then
			failed=1
		fi
	done
done < <(git ls-files --cached --others --exclude-standard -- '*_test.go' | xargs grep -l '^func Fuzz' | sort)
echo "fuzz: $count targets, $fuzztime each"
exit $failed

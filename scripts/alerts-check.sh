#!/usr/bin/env bash
# Checks deploy/observability offline with promtool (Debian's prometheus package,
# ensure-promtool.sh): the alerting rules parse and their expressions are valid PromQL, the
# scrape configuration is valid, and the rules' unit tests (alerts_test.yaml: which alerts
# fire, when, with which labels and words) pass. Then it checks that the check can fail: a
# rule with a broken expression must be refused.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=$root/deploy/observability
"$root/scripts/ensure-promtool.sh"
promtool check rules "$dir/alerts.yaml"
promtool check config --syntax-only "$dir/prometheus.yaml"
(cd "$dir" && promtool test rules alerts_test.yaml)

bad=$(mktemp -d)
trap 'rm -rf "$bad"' EXIT
printf 'groups:\n  - name: broken\n    rules:\n      - alert: Broken\n        expr: sum(rate(x[5m])\n' >"$bad/broken.yaml"
if promtool check rules "$bad/broken.yaml" >/dev/null 2>&1; then
	echo "alerts-check: promtool accepted a broken rule; the check proves nothing" >&2
	exit 1
fi
echo "alerts-check: ok (rules, scrape configuration, unit tests; a broken rule refused)"

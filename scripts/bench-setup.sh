#!/usr/bin/env bash
# Installs what the matching benchmarks compare against: Debian's python3-scipy for
# /usr/bin/python3 (scipy.sparse.csgraph.min_weight_full_bipartite_matching).
# Idempotent: does nothing when scipy already imports. Needs root (or sudo) for apt-get.
set -euo pipefail

PY=${PYTHON:-/usr/bin/python3}
if "$PY" -c 'import scipy.sparse.csgraph, numpy' 2>/dev/null; then
	exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
	if command -v sudo >/dev/null; then SUDO=sudo; else
		echo "bench-setup: scipy is missing for $PY; install it as root: apt-get install -y python3-scipy" >&2
		exit 1
	fi
else
	SUDO=
fi
echo "bench-setup: installing python3-scipy (Debian) for $PY" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >&2
$SUDO apt-get install -y -qq python3-scipy >&2
"$PY" -c 'import scipy; print("bench-setup: scipy", scipy.__version__)' >&2

#!/usr/bin/env bash
# The short soak of `make test`: the local cluster of `make soak` (services/stack/cmd/cluster:
# 3 etcd, 3 PostgreSQL under Patroni, 3 NATS nodes, 2 replicas of every service and gateway)
# under load with one kill of each kind — the PostgreSQL primary, the NATS node leading the
# MATCHING stream, a replica of matching — and the same end checks: one contract per approved
# match, rooms and applications in the state the chain says, no event applied twice, no
# outbox row left, every consumer drained. About three minutes here, one and a half of load.
#
# It provisions what it needs: etcd, Patroni and PostgreSQL 15 from Debian
# (ensure-cluster-tools.sh), the commands built into a folder of its own; the cluster's data
# and logs go to a temporary folder (kept, and its path printed, when the soak fails). Ports
# from COHABIT_SOAK_PORT_BASE (19500), clear of make cluster's (19100) and make soak's (19300).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
unset GOFLAGS
"$root/scripts/ensure-cluster-tools.sh"

work=$(mktemp -d "${TMPDIR:-/tmp}/cohabit-soak.XXXXXX")
# PostgreSQL runs as the postgres user when we are root: it must reach its folder.
chmod 755 "$work"
mkdir -p "$work/bin"
started=$SECONDS
for m in "$root"/services/*/ "$root"/gateway/; do
	[[ -d $m/cmd ]] || continue
	(cd "$m" && go build -o "$work/bin/" ./cmd/...)
done
echo "soak-short: commands built in $((SECONDS - started))s; starting the cluster" >&2

status=0
COHABIT_CLUSTER_DIR="$work/cluster" COHABIT_CLUSTER_BIN="$work/bin" \
	COHABIT_CLUSTER_PORT_BASE="${COHABIT_SOAK_PORT_BASE:-19500}" COHABIT_SOAK_SHORT=1 \
	"$work/bin/cluster" soak || status=$?
echo "soak-short: $((SECONDS - started))s in all (build, cluster start, soak, stop)" >&2
if ((status == 0)); then
	rm -rf "$work"
else
	echo "soak-short: FAILED; the cluster's data and logs are in $work/cluster" >&2
fi
exit "$status"

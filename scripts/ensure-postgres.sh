#!/usr/bin/env bash
# Prints the folder holding PostgreSQL's server binaries (initdb, pg_ctl,
# postgres), installing Debian's postgresql package when none is found, and
# makes sure a `postgres` system user exists: initdb refuses to run as root, so
# a root process (CI, containers) runs the cluster as that user.
#
# Only the folder goes to stdout, so callers can write
#   PG_BIN=$(scripts/ensure-postgres.sh)
# The search order matches services/platform/pgcluster's default BinDir.
set -euo pipefail

log() { echo "ensure-postgres: $*" >&2; }

has_server() { [[ -x $1/initdb && -x $1/pg_ctl && -x $1/postgres ]]; }

find_bindir() {
	local dir
	# Debian keeps one folder per major version and only puts client wrappers
	# on PATH, so look there first and prefer the newest major.
	while read -r dir; do
		[[ -n $dir ]] && has_server "$dir" && { echo "$dir"; return 0; }
	done < <(compgen -G '/usr/lib/postgresql/*/bin' | sort -V -r)
	if dir=$(command -v initdb 2>/dev/null); then
		dir=$(dirname "$(readlink -f "$dir")")
		has_server "$dir" && { echo "$dir"; return 0; }
	fi
	return 1
}

ensure_user() {
	id -u postgres >/dev/null 2>&1 && return 0
	if [[ $(id -u) -ne 0 ]]; then
		# Not needed then: a non-root process runs initdb as itself.
		return 0
	fi
	log "creating system user postgres"
	useradd --system --user-group --home-dir /var/lib/postgresql \
		--shell /bin/bash postgres
}

if ! bindir=$(find_bindir); then
	if [[ $(id -u) -ne 0 ]]; then
		log "PostgreSQL server binaries not found; run this script as root (or sudo) to install Debian's postgresql package"
		exit 1
	fi
	log "PostgreSQL server binaries not found; installing Debian's postgresql package"
	apt-get update -qq >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
	if ! bindir=$(find_bindir); then
		log "postgresql installed but initdb/pg_ctl/postgres still not found"
		exit 1
	fi
fi

ensure_user
echo "$bindir"

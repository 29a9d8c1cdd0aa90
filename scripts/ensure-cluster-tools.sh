#!/usr/bin/env bash
# Installs what `make cluster` and `make soak` run besides the project's own binaries:
# etcd, Patroni and PostgreSQL 15, all Debian packages. Debian starts an etcd service and
# a PostgreSQL cluster of its own on install; the local cluster uses neither (its own
# ports and folders).
set -euo pipefail
missing=()
command -v etcd >/dev/null || missing+=(etcd-server)
command -v patroni >/dev/null || missing+=(patroni)
[[ -x /usr/lib/postgresql/15/bin/postgres ]] || missing+=(postgresql-15)
if ((${#missing[@]})); then
	echo "installing ${missing[*]}" >&2
	sudo=""
	[[ $(id -u) -eq 0 ]] || sudo=sudo
	$sudo apt-get install -y -q "${missing[@]}" >/dev/null || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; }
fi

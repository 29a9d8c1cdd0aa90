#!/usr/bin/env bash
# govulncheck over every module of the workspace (make lint), against a vulnerability
# database built offline from the golang.org/x/vulndb module that tools/vuln/go.mod pins:
# vuln.go.dev is not reachable from here, the module proxy is. The database is built once
# per vulndb version into bin/vulndb/<version> (bin is cached), so a warm lint spends its
# time on the analysis only. To take newer advisories: bump golang.org/x/vulndb in
# tools/vuln (go get golang.org/x/vulndb@latest), then make tools.
#
# It fails when code of ours calls a vulnerable function (govulncheck's exit status 3);
# vulnerable code in a dependency that nothing calls is reported, not fatal.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$root/bin
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
unset GOFLAGS
for tool in govulncheck indexdb; do
	[[ -x $bin/$tool ]] || { echo "vulncheck: $bin/$tool is missing: run make tools" >&2; exit 1; }
done

version=$(cd "$root/tools/vuln" && GOWORK=off go list -m -f '{{.Version}}' golang.org/x/vulndb)
db=$bin/vulndb/$version
if [[ ! -f $db/index/db.json ]]; then
	src=$(cd "$root/tools/vuln" && GOWORK=off go mod download -json "golang.org/x/vulndb@$version" |
		sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	[[ -d $src/data/osv ]] || { echo "vulncheck: no data/osv in golang.org/x/vulndb@$version" >&2; exit 1; }
	echo "vulncheck: building the database of golang.org/x/vulndb@$version"
	rm -rf "$db.tmp" && mkdir -p "$(dirname "$db")"
	"$bin/indexdb" -vulns "$src/data/osv" -out "$db.tmp"
	rm -rf "$db" && mv "$db.tmp" "$db"
fi

# From inside any module, in workspace mode, the pattern spans every module of go.work: one
# analysis loads the shared dependencies once instead of once per module.
cd "$root/services/platform"
"$bin/govulncheck" -db "file://$db" github.com/cohabit/cohabit/...

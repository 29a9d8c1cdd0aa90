#!/usr/bin/env bash
# Installs the pinned code generators into ./bin (or $TOOLS_BIN).
#
# Versions come from tools/go.mod (protoc plugins) and tools/buf/go.mod (buf),
# never from go.work: the generators must not drag the services' dependency
# versions, and buf needs a protobuf pre-release the plugins must not share.
# A tool whose binary already carries the pinned module version is skipped, so
# a warm run costs a few `go` invocations instead of minutes of compiling.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${TOOLS_BIN:-$root/bin}
mkdir -p "$bin"
bin=$(cd "$bin" && pwd) # go install wants an absolute GOBIN

export GOWORK=off
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}

# module directory | binary | package | module that versions the package
tools=(
	"tools/buf|buf|github.com/bufbuild/buf/cmd/buf|github.com/bufbuild/buf"
	"tools|protoc-gen-go|google.golang.org/protobuf/cmd/protoc-gen-go|google.golang.org/protobuf"
	"tools|protoc-gen-go-grpc|google.golang.org/grpc/cmd/protoc-gen-go-grpc|google.golang.org/grpc/cmd/protoc-gen-go-grpc"
	"tools|protoc-gen-grpc-gateway|github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway|github.com/grpc-ecosystem/grpc-gateway/v2"
	"tools|protoc-gen-openapiv2|github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2|github.com/grpc-ecosystem/grpc-gateway/v2"
	"tools/deploy|kustomize|sigs.k8s.io/kustomize/kustomize/v5|sigs.k8s.io/kustomize/kustomize/v5"
	"tools/deploy|kubeconform|github.com/yannh/kubeconform/cmd/kubeconform|github.com/yannh/kubeconform"
	"tools/vuln|govulncheck|golang.org/x/vuln/cmd/govulncheck|golang.org/x/vuln"
	"tools/vuln|indexdb|golang.org/x/vulndb/cmd/indexdb|golang.org/x/vulndb"
)

# pinned_version DIR MODULE prints the version DIR/go.mod selects for MODULE.
pinned_version() {
	(cd "$root/$1" && go list -m -f '{{.Version}}' "$2")
}

# installed_version BINARY PACKAGE MODULE prints the version of MODULE recorded
# in BINARY's build info, whether it was built with `go install pkg@v` (the
# module is the main module) or from a tools module (it is a dependency).
# The build info is more trustworthy than each tool's --version flag, which
# some of them print as "dev" unless release ldflags were set.
installed_version() {
	[[ -x $1 ]] || return 0
	go version -m "$1" 2>/dev/null | awk -v pkg="$2" -v mod="$3" '
		$1 == "path" && $2 != pkg { exit }
		($1 == "mod" || $1 == "dep") && $2 == mod { print $3; exit }'
}

declare -A todo # module directory -> packages to (re)install
for entry in "${tools[@]}"; do
	IFS='|' read -r dir name pkg mod <<<"$entry"
	want=$(pinned_version "$dir" "$mod")
	have=$(installed_version "$bin/$name" "$pkg" "$mod")
	if [[ $have == "$want" ]]; then
		echo "tools: $name $want (up to date)"
		continue
	fi
	[[ -n $have ]] || { [[ -e $bin/$name ]] && have="unknown version" || have=missing; }
	echo "tools: $name $have -> $want"
	todo[$dir]+=" $pkg"
done

# One `go install` per module lets the go command build the tools in parallel
# and share their common dependencies.
for dir in "${!todo[@]}"; do
	# shellcheck disable=SC2086 # word splitting of the package list is wanted
	(cd "$root/$dir" && GOBIN="$bin" go install ${todo[$dir]})
done

#!/usr/bin/env bash
# Renders every overlay of deploy/k8s with kustomize and validates the result offline with
# kubeconform -strict (an unknown or misspelt field fails, as does a kind with no schema).
#
# The schemas are made here, not downloaded: k8sschema (tools/deploy) converts the OpenAPI
# document shipped in the k8s.io/kubernetes Go module (api/openapi-spec/swagger.json) and
# CloudNativePG's CustomResourceDefinitions (Cluster, Database) shipped in its Go module,
# both fetched by `go mod download` through the module proxy once and cached.
#
# It then checks that validation can fail: a manifest with a misspelt field must be refused.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=$root/bin
k8s_version=v1.32.0
cnpg_version=v1.25.1
cache=${COHABIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/cohabit}/k8s-schemas/$k8s_version-cnpg-$cnpg_version
export GOWORK=off GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
unset GOFLAGS

# The pinned tools (tools/deploy/go.mod), rebuilt when missing or older than the pins.
mkdir -p "$bin"
for t in kustomize:sigs.k8s.io/kustomize/kustomize/v5 kubeconform:github.com/yannh/kubeconform/cmd/kubeconform k8sschema:./cmd/k8sschema; do
	name=${t%%:*} pkg=${t#*:}
	if [[ ! -x $bin/$name || $root/tools/deploy/go.mod -nt $bin/$name || ($name == k8sschema && $root/tools/deploy/cmd/k8sschema/main.go -nt $bin/$name) ]]; then
		(cd "$root/tools/deploy" && go build -o "$bin/$name" "$pkg")
	fi
done

moddir() { # the folder of module@version in the module cache, downloading it if needed
	(cd "$(mktemp -d)" && go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}
if [[ ! -f $cache/.done ]]; then
	k8s=$(moddir "k8s.io/kubernetes@$k8s_version")
	cnpg=$(moddir "github.com/cloudnative-pg/cloudnative-pg@$cnpg_version")
	[[ -n $k8s && -n $cnpg ]] || { echo "k8s-validate: could not download the schema sources" >&2; exit 1; }
	rm -rf "$cache" && mkdir -p "$cache"
	"$bin/k8sschema" -swagger "$k8s/api/openapi-spec/swagger.json" \
		-crd "$cnpg/config/crd/bases/postgresql.cnpg.io_clusters.yaml" \
		-crd "$cnpg/config/crd/bases/postgresql.cnpg.io_databases.yaml" \
		-version "$k8s_version" -o "$cache"
	touch "$cache/.done"
fi

validate() {
	"$bin/kubeconform" -strict -summary -kubernetes-version "${k8s_version#v}" \
		-schema-location "$cache/{{ .NormalizedKubernetesVersion }}-standalone{{ .StrictSuffix }}/{{ .ResourceKind }}{{ .KindSuffix }}.json" "$@"
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
for overlay in "$root"/deploy/k8s/overlays/*/; do
	name=$(basename "$overlay")
	"$bin/kustomize" build "$overlay" >"$tmp/$name.yaml"
	echo "k8s-validate: $name ($(grep -c '^kind:' "$tmp/$name.yaml") resources)"
	validate "$tmp/$name.yaml" || failed=1
	# Every Deployment and StatefulSet has probes, resources, a PodDisruptionBudget and
	# topology spread (kubeconform checks the shape, not that they are there).
	for w in $(awk '/^kind: (Deployment|StatefulSet)$/ { k = 1; next } k && /^  name: / { print $2; k = 0 }' "$tmp/$name.yaml"); do
		doc=$(awk -v w="$w" 'BEGIN { RS = "\n---\n" } /\nkind: (Deployment|StatefulSet)\n/ && $0 ~ "\n  name: " w "\n" { print }' "$tmp/$name.yaml")
		for need in readinessProbe livenessProbe 'resources:' topologySpreadConstraints runAsNonRoot; do
			grep -q "$need" <<<"$doc" || { echo "k8s-validate: $name: $w has no $need" >&2; failed=1; }
		done
		awk -v w="$w" 'BEGIN { RS = "\n---\n" } /\nkind: PodDisruptionBudget\n/ && $0 ~ "\n  name: " w "\n"' "$tmp/$name.yaml" | grep -q . ||
			{ echo "k8s-validate: $name: $w has no PodDisruptionBudget" >&2; failed=1; }
	done
done
# The check can fail: a misspelt field in a rendered manifest must be refused.
sed '0,/readinessProbe:/s//readinesProbe:/' "$tmp/$name.yaml" >"$tmp/broken.yaml"
if validate "$tmp/broken.yaml" >/dev/null 2>&1; then
	echo "k8s-validate: a misspelt field passed validation: the schemas are not strict" >&2
	failed=1
fi
exit $failed

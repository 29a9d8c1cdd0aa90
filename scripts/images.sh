#!/usr/bin/env bash
# Builds a container image of every command that runs in production — each service's cmd,
# the gateway, and natsnode (the NATS cluster's node) — without a Docker engine or a
# registry: a static binary (CGO_ENABLED=0) on an empty base, non-root (65532), by
# tools/deploy/cmd/imagebuild (go-containerregistry). Each image is a tarball in bin/images
# that `docker load`, `podman load` or `crane push bin/images/hosts.tar <registry>/cohabit/hosts:<tag>`
# take. A new service is picked up from its services/<name>/cmd/<name>.
#
# With crane (go install github.com/google/go-containerregistry/cmd/crane), the same image
# can be made by hand, also offline:
#   tar -C rootfs -cf layer.tar . && crane append --oci-empty-base -f layer.tar -t cohabit/hosts:dev -o hosts.tar
# (then `crane mutate` for the entrypoint and user needs a registry; imagebuild sets them at once).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${COHABIT_IMAGES_DIR:-$root/bin/images}
tag=${COHABIT_IMAGE_TAG:-dev}
export GOTOOLCHAIN=${GOTOOLCHAIN:-auto}
unset GOFLAGS
mkdir -p "$out/linux"

if [[ ! -x $root/bin/imagebuild || $root/tools/deploy/cmd/imagebuild/main.go -nt $root/bin/imagebuild || $root/tools/deploy/go.mod -nt $root/bin/imagebuild ]]; then
	(cd "$root/tools/deploy" && GOWORK=off go build -o "$root/bin/imagebuild" ./cmd/imagebuild)
fi

# module folder | command
cmds=()
for d in "$root"/services/*/cmd/*/; do
	mod=${d%/cmd/*}; name=$(basename "$d")
	case $(basename "$mod")/$name in
	stack/cohabit | stack/benchseed | stack/cluster) continue ;; # development tools, not deployed
	esac
	cmds+=("$mod|$name")
done
cmds+=("$root/gateway|gateway")

for c in "${cmds[@]}"; do
	IFS='|' read -r mod name <<<"$c"
	(cd "$mod" && CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build -ldflags='-s -w' -o "$out/linux/$name" "./cmd/$name")
	"$root/bin/imagebuild" -bin "$out/linux/$name" -name "$name" -tag "cohabit/$name:$tag" -o "$out/$name.tar"
done

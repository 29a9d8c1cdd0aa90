//go:build tools

// Package tools pins the deployment tools `make tools` installs into ./bin: kustomize renders
// the Kubernetes manifests and kubeconform validates them offline (scripts/k8s-validate.sh).
// Its own module, so that their dependencies never move the services' versions.
package tools

import (
	_ "github.com/yannh/kubeconform/cmd/kubeconform"
	_ "sigs.k8s.io/kustomize/kustomize/v5"
)

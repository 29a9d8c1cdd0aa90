//go:build tools

// Package tools pins govulncheck and the vulnerability database it reads, which make lint
// builds offline from the golang.org/x/vulndb module (scripts/vulncheck.sh). A module of its
// own, like tools/buf: their dependencies must not move the services' versions.
package tools

import (
	_ "golang.org/x/vuln/cmd/govulncheck"
	_ "golang.org/x/vulndb/cmd/indexdb"
)

//go:build tools

// Package buf pins the buf CLI that `make tools` installs into ./bin. It is a
// module of its own because buf v1.75.0 requires a protobuf pre-release that
// must not leak into the protoc plugins' build list (see ../tools.go).
package buf

import (
	_ "github.com/bufbuild/buf/cmd/buf"
)

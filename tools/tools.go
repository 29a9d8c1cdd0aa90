//go:build tools

// Package tools pins the protoc plugins that `make tools` installs into ./bin.
// It lives outside go.work so the generators never drag the services'
// dependency versions. buf has its own module in ./buf: buf v1.75.0 requires a
// protobuf pre-release, and sharing a build list with it would silently lift
// protoc-gen-go off its pinned v1.36.12 (and change every generated header).
package tools

import (
	_ "github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-grpc-gateway"
	_ "github.com/grpc-ecosystem/grpc-gateway/v2/protoc-gen-openapiv2"
	_ "google.golang.org/grpc/cmd/protoc-gen-go-grpc"
	_ "google.golang.org/protobuf/cmd/protoc-gen-go"
)

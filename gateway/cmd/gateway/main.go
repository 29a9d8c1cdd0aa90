// Command gateway serves Cohabit's public REST/JSON API over the gRPC services, with the
// OpenAPI document, health, readiness and metrics endpoints.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/cohabit/cohabit/gateway/service"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/run"
)

func main() {
	run.Main(func(ctx context.Context, getenv func(string) string) error {
		cfg, err := service.LoadConfig(getenv)
		if err != nil {
			return fmt.Errorf("gateway: %w", err)
		}
		return service.Run(ctx, cfg, logging.New(os.Stderr, cfg.LogLevel, cfg.LogFormat))
	})
}

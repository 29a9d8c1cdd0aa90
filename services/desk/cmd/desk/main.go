// Command desk serves the coordinator's desk service.
package main

import (
	"context"
	"os"

	"github.com/cohabit/cohabit/services/desk/service"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/run"
)

func main() {
	run.Main(func(ctx context.Context, getenv func(string) string) error {
		cfg, err := service.LoadConfig(getenv)
		if err != nil {
			return err
		}
		log := logging.New(os.Stderr, getenv("COHABIT_LOG_LEVEL"), getenv("COHABIT_LOG_FORMAT"))
		return service.Run(ctx, cfg, log)
	})
}

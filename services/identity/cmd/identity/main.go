// Command identity serves accounts, sign-in, tokens and programmes.
package main

import (
	"context"
	"os"

	"github.com/cohabit/cohabit/services/identity/service"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/run"
)

func main() {
	run.Main(func(ctx context.Context, getenv func(string) string) error {
		log := logging.New(os.Stderr, getenv("COHABIT_LOG_LEVEL"), getenv("COHABIT_LOG_FORMAT"))
		cfg, err := service.LoadConfig(getenv)
		if err != nil {
			return err
		}
		return service.Run(ctx, cfg, log)
	})
}

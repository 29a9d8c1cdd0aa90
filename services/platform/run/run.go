// Package run is the lifecycle of a process: main calls Main with its real work, which gets a
// context cancelled on SIGINT or SIGTERM. Tests call the work function directly.
package run

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// Main runs fn until it returns or a signal arrives, and exits non-zero on error.
func Main(fn func(ctx context.Context, getenv func(string) string) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := fn(ctx, os.Getenv)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// Package periodic runs a service's jobs: a use case run at start and then every interval
// until the service stops. A failed run is logged and tried again at the next tick (a job is
// late, never lost), so that one bad night does not stop the service; what a run changed is
// logged when it changed something. Every service's internal/jobs lists its jobs as Jobs, and
// its Build hands them to boot (boot.Parts.Jobs) with Funcs.
package periodic

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// Job is one periodic use case.
type Job struct {
	// Name says what the job does, in its log lines ("expire matches").
	Name string
	// Every is the interval between runs; a job with a zero or negative interval never runs.
	Every time.Duration
	// Run does the work due at the time it runs and says how many things it changed.
	Run func(ctx context.Context) (int, error)
	// Wake, if not nil, runs the job before its next tick (the notifications' dispatcher, as
	// soon as an event planned a message).
	Wake <-chan struct{}
}

// Loop runs j at start and then every j.Every until ctx is done, and returns nil then.
func (j Job) Loop(ctx context.Context, log *slog.Logger) error {
	if j.Every <= 0 {
		return nil
	}
	t := time.NewTicker(j.Every)
	defer t.Stop()
	for {
		n, err := j.Run(ctx)
		switch {
		case err != nil && ctx.Err() == nil && !errors.Is(err, context.Canceled):
			log.ErrorContext(ctx, "job failed; tried again at its next run", "job", j.Name, "err", err)
		case err == nil && n > 0:
			log.InfoContext(ctx, "job done", "job", j.Name, "changed", n)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-j.Wake:
		}
	}
}

// Funcs are the loops of jobs, as boot.Parts.Jobs takes them.
func Funcs(log *slog.Logger, jobs ...Job) []func(context.Context) error {
	out := make([]func(context.Context) error, 0, len(jobs))
	for _, j := range jobs {
		out = append(out, func(ctx context.Context) error { return j.Loop(ctx, log) })
	}
	return out
}

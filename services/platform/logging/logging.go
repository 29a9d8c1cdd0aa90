// Package logging builds the structured logger every process uses.
package logging

import (
	"io"
	"log/slog"
	"strings"
)

// New returns a logger writing to w: JSON unless format is "text", at level
// ("debug", "info", "warn", "error"; info by default).
func New(w io.Writer, level, format string) *slog.Logger {
	var l slog.Level
	switch strings.ToLower(level) {
	case "debug":
		l = slog.LevelDebug
	case "warn":
		l = slog.LevelWarn
	case "error":
		l = slog.LevelError
	default:
		l = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: l}
	if strings.EqualFold(format, "text") {
		return slog.New(withTrace{slog.NewTextHandler(w, opts)})
	}
	return slog.New(withTrace{slog.NewJSONHandler(w, opts)})
}

// Discard returns a logger that writes nothing (tests that only need a logger).
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

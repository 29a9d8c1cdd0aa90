// Package service assembles the gateway process: configuration, one gRPC connection per
// backend, the REST mux and the HTTP server. Run is exported so that a test process can boot
// the gateway next to the services.
package service

import (
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/cohabit/cohabit/services/platform/config"
)

const (
	defaultMaxBodyBytes = 1 << 20
	// A workshop signs up 30 people from one address in a few minutes (SPEC §3): 60 at
	// once, then 20 a minute, per address.
	defaultAuthPerMinute   = 20
	defaultAuthBurst       = 60
	defaultShutdownTimeout = 10 * time.Second
	defaultReadyTimeout    = time.Second
)

// Config is the gateway's settings, read once at start.
type Config struct {
	// HTTPAddr is where the gateway listens ("127.0.0.1:0" in tests).
	HTTPAddr string
	// Backends maps each backend's name ("identity", "hosts") to its gRPC address. Run
	// refuses a missing or unknown name.
	Backends map[string]string
	// MaxBodyBytes caps request bodies; a larger body is answered 413. Zero means 1 MiB.
	MaxBodyBytes int64
	// ShutdownTimeout bounds how long requests in flight may finish once the context is
	// done. Zero means 10s.
	ShutdownTimeout time.Duration
	// ReadyTimeout bounds each backend's health check on /readyz. Zero means 1s.
	ReadyTimeout time.Duration
	// MetricsAddr, when set, is the listener of its own that serves /metrics, which the
	// public listener then no longer serves; when empty (make run), /metrics stays on the
	// public listener for loopback clients only. Production sets it (deploy/env).
	MetricsAddr string
	// HSTSMaxAge > 0 sends Strict-Transport-Security on answers over HTTPS (or behind a
	// proxy that says X-Forwarded-Proto: https). Zero: off, for plain-HTTP development.
	HSTSMaxAge time.Duration
	// AuthPerMinute and AuthBurst limit sign-in and sign-up requests per client address
	// (middleware.AuthLimit): zero takes the defaults (20 a minute, 60 at once), a negative
	// AuthBurst turns the limit off (the platform tests sign many people in from one
	// address). TrustForwardedFor reads the address from X-Forwarded-For, behind a proxy.
	AuthPerMinute     int
	AuthBurst         int
	TrustForwardedFor bool
	// LogLevel and LogFormat configure the logger main builds.
	LogLevel  string
	LogFormat string
	// Ready, if not nil, is called once with the bound address when the gateway listens.
	Ready func(addr net.Addr)
}

// LoadConfig reads the configuration through getenv, with safe local defaults. It reports
// every bad value at once.
func LoadConfig(getenv func(string) string) (Config, error) {
	env := config.New(getenv)
	cfg := Config{
		HTTPAddr:          env.String("COHABIT_HTTP_ADDR", "localhost:8080"),
		Backends:          make(map[string]string),
		MaxBodyBytes:      int64(env.Int("COHABIT_HTTP_MAX_BODY_BYTES", defaultMaxBodyBytes)),
		ShutdownTimeout:   env.Duration("COHABIT_HTTP_SHUTDOWN_TIMEOUT", defaultShutdownTimeout),
		ReadyTimeout:      env.Duration("COHABIT_READY_TIMEOUT", defaultReadyTimeout),
		MetricsAddr:       env.String("COHABIT_METRICS_ADDR", ""),
		HSTSMaxAge:        env.Duration("COHABIT_HSTS_MAX_AGE", 0),
		AuthPerMinute:     env.Int("COHABIT_AUTH_RATE_PER_MINUTE", defaultAuthPerMinute),
		AuthBurst:         env.Int("COHABIT_AUTH_BURST", defaultAuthBurst),
		TrustForwardedFor: env.Bool("COHABIT_TRUST_X_FORWARDED_FOR", false),
		LogLevel:          env.String("COHABIT_LOG_LEVEL", "info"),
		LogFormat:         env.String("COHABIT_LOG_FORMAT", "json"),
	}
	for _, b := range backends() {
		cfg.Backends[b.name] = env.String(b.env, b.defaultAddr)
	}
	var bad []error
	if cfg.MaxBodyBytes <= 0 {
		bad = append(bad, fmt.Errorf("COHABIT_HTTP_MAX_BODY_BYTES=%d: must be positive", cfg.MaxBodyBytes))
	}
	if cfg.ShutdownTimeout <= 0 {
		bad = append(bad, fmt.Errorf("COHABIT_HTTP_SHUTDOWN_TIMEOUT=%s: must be positive", cfg.ShutdownTimeout))
	}
	if cfg.AuthPerMinute <= 0 {
		bad = append(bad, fmt.Errorf("COHABIT_AUTH_RATE_PER_MINUTE=%d: must be positive", cfg.AuthPerMinute))
	}
	if cfg.HSTSMaxAge < 0 {
		bad = append(bad, fmt.Errorf("COHABIT_HSTS_MAX_AGE=%s: must not be negative", cfg.HSTSMaxAge))
	}
	if cfg.ReadyTimeout <= 0 {
		bad = append(bad, fmt.Errorf("COHABIT_READY_TIMEOUT=%s: must be positive", cfg.ReadyTimeout))
	}
	var checks error
	if len(bad) > 0 {
		checks = fmt.Errorf("configuration: %w", errors.Join(bad...))
	}
	if err := errors.Join(env.Err(), checks); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// withDefaults fills the zero values of a Config built by hand (a test's literal) the way
// LoadConfig would.
func (c Config) withDefaults() Config {
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = defaultMaxBodyBytes
	}
	if c.AuthPerMinute == 0 {
		c.AuthPerMinute = defaultAuthPerMinute
	}
	if c.AuthBurst == 0 {
		c.AuthBurst = defaultAuthBurst
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = defaultShutdownTimeout
	}
	if c.ReadyTimeout == 0 {
		c.ReadyTimeout = defaultReadyTimeout
	}
	return c
}

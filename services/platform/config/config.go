// Package config reads typed settings from the environment once, at start, collecting every
// bad value into one error instead of failing on the first.
package config

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Env reads settings through getenv (os.Getenv in main, a map in tests).
type Env struct {
	getenv func(string) string
	errs   []error
}

// New returns a reader over getenv.
func New(getenv func(string) string) *Env { return &Env{getenv: getenv} }

// String returns the value of key, or def when unset.
func (e *Env) String(key, def string) string {
	if v := strings.TrimSpace(e.getenv(key)); v != "" {
		return v
	}
	return def
}

// Int returns the integer value of key, or def when unset.
func (e *Env) Int(key string, def int) int {
	v := strings.TrimSpace(e.getenv(key))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: not an integer", key, v))
		return def
	}
	return n
}

// Duration returns the duration value of key ("15m"), or def when unset.
func (e *Env) Duration(key string, def time.Duration) time.Duration {
	v := strings.TrimSpace(e.getenv(key))
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: not a duration", key, v))
		return def
	}
	return d
}

// Bool returns the boolean value of key, or def when unset.
func (e *Env) Bool(key string, def bool) bool {
	v := strings.TrimSpace(e.getenv(key))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s=%q: not a boolean", key, v))
		return def
	}
	return b
}

// Require records an error when a required value is empty.
func (e *Env) Require(key, value string) {
	if value == "" {
		e.errs = append(e.errs, fmt.Errorf("%s is required", key))
	}
}

// Err returns every problem found, or nil.
func (e *Env) Err() error {
	if len(e.errs) == 0 {
		return nil
	}
	return fmt.Errorf("configuration: %w", errors.Join(e.errs...))
}

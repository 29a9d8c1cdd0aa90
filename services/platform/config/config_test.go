package config

import (
	"strings"
	"testing"
	"time"
)

func TestEnvCollectsEveryError(t *testing.T) {
	t.Parallel()
	vals := map[string]string{"A": "12", "B": "x", "C": "5m", "D": "soon", "E": "true", "F": "maybe"}
	e := New(func(k string) string { return vals[k] })
	if got := e.Int("A", 1); got != 12 {
		t.Fatalf("Int = %d", got)
	}
	if got := e.Int("B", 7); got != 7 {
		t.Fatalf("bad Int must give default, got %d", got)
	}
	if got := e.Duration("C", 0); got != 5*time.Minute {
		t.Fatalf("Duration = %v", got)
	}
	e.Duration("D", 0)
	if !e.Bool("E", false) {
		t.Fatal("Bool = false")
	}
	e.Bool("F", false)
	if got := e.String("MISSING", "def"); got != "def" {
		t.Fatalf("String = %q", got)
	}
	e.Require("G", "")
	err := e.Err()
	if err == nil {
		t.Fatal("want errors")
	}
	for _, key := range []string{"B=", "D=", "F=", "G is required"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error %q does not mention %s", err, key)
		}
	}
}

package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// Python is the interpreter the scipy comparison uses (Debian's python3-scipy installs for
// it).
const Python = "/usr/bin/python3"

// ErrNoScipy: the interpreter lacks scipy (scripts/bench-setup.sh installs it).
var ErrNoScipy = errors.New("bench: " + Python + " has no scipy (run scripts/bench-setup.sh)")

// HaveScipy reports whether Python imports scipy.sparse.csgraph.
func HaveScipy() bool {
	return exec.Command(Python, "-c", "import scipy.sparse.csgraph, numpy").Run() == nil
}

// ScipyResult is what scripts/bench-allocation.py prints.
type ScipyResult struct {
	Solver    string    `json:"solver"`
	Version   string    `json:"scipy"`
	Students  int       `json:"students"`
	Rooms     int       `json:"rooms"`
	Edges     int       `json:"edges"`
	Seconds   []float64 `json:"seconds"`
	Objective int64     `json:"objective"`
	Matched   int       `json:"matched"`
}

// Script finds scripts/bench-allocation.py in the current directory or a parent.
func Script() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "scripts", "bench-allocation.py")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("bench: scripts/bench-allocation.py not found above the current directory")
		}
		dir = parent
	}
}

// SolveScipy runs scripts/bench-allocation.py on an instance file, repeat times.
func SolveScipy(script, instance string, repeat int) (ScipyResult, error) {
	if !HaveScipy() {
		return ScipyResult{}, ErrNoScipy
	}
	out, err := exec.Command(Python, script, instance, "--repeat", strconv.Itoa(repeat)).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ScipyResult{}, fmt.Errorf("bench: %s: %v: %s", script, err, ee.Stderr)
		}
		return ScipyResult{}, err
	}
	var r ScipyResult
	if err := json.Unmarshal(out, &r); err != nil {
		return ScipyResult{}, fmt.Errorf("bench: %s printed %q: %v", script, out, err)
	}
	return r, nil
}

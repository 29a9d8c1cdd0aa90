package main

import (
	"strings"
	"testing"
)

func TestLoadSettingsPorts(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

	s, err := loadSettings(env(nil))
	if err != nil {
		t.Fatalf("defaults: %v", err)
	}
	if s.pgPort != defaultPGPort || s.natsPort != defaultNATSPort {
		t.Errorf("default ports = %d, %d; want %d, %d", s.pgPort, s.natsPort, defaultPGPort, defaultNATSPort)
	}

	s, err = loadSettings(env(map[string]string{"COHABIT_LOCAL_PG_PORT": "16001", "COHABIT_LOCAL_NATS_PORT": "16002"}))
	if err != nil {
		t.Fatalf("chosen ports: %v", err)
	}
	if s.pgPort != 16001 || s.natsPort != 16002 {
		t.Errorf("ports = %d, %d; want 16001, 16002", s.pgPort, s.natsPort)
	}

	for _, bad := range []map[string]string{
		{"COHABIT_LOCAL_PG_PORT": "0"},
		{"COHABIT_LOCAL_NATS_PORT": "70000"},
		{"COHABIT_LOCAL_PG_PORT": "five"},
	} {
		_, err := loadSettings(env(bad))
		if err == nil {
			t.Errorf("%v: accepted", bad)
			continue
		}
		for k := range bad {
			if !strings.Contains(err.Error(), k) {
				t.Errorf("%v: error %q does not name %s", bad, err, k)
			}
		}
	}
}

package all_test

import (
	"strings"
	"testing"

	"github.com/cohabit/cohabit/proto/eventcat/all"
)

// TestCatalogueIsConsistent: each subject once, each on its own stream, each stream named once
// and owned by one service, each payload a message of the events packages.
func TestCatalogueIsConsistent(t *testing.T) {
	t.Parallel()
	names, services := map[string]bool{}, map[string]bool{}
	for _, s := range all.Streams() {
		if names[s.Name] || services[s.Service] {
			t.Errorf("stream %s (%s) declared twice", s.Name, s.Service)
		}
		names[s.Name], services[s.Service] = true, true
		if s.Name != strings.ToUpper(s.Service) {
			t.Errorf("stream %s of service %s: a stream is named after its service", s.Name, s.Service)
		}
	}
	subjects := map[string]bool{}
	for _, e := range all.Events() {
		s := e.SubjectName()
		if subjects[s] {
			t.Errorf("%s declared twice", s)
		}
		subjects[s] = true
		if !e.StreamOf().Owns(s) || !names[e.StreamOf().Name] {
			t.Errorf("%s is on stream %s, which does not own it", s, e.StreamOf().Name)
		}
		p := string(e.Payload())
		if !strings.HasPrefix(p, "cohabit.") || !strings.Contains(p, "events.v1.") {
			t.Errorf("%s carries %s, not a message of an events package", s, p)
		}
		if got := e.NewPayload().ProtoReflect().Descriptor().FullName(); string(got) != p {
			t.Errorf("%s: NewPayload makes a %s, want %s", s, got, p)
		}
		if got, ok := all.Event(s); !ok || got.SubjectName() != s {
			t.Errorf("all.Event(%s) does not find it", s)
		}
	}
	if len(subjects) < 60 {
		t.Fatalf("%d events in the catalogue: is it loaded whole?", len(subjects))
	}
	if _, ok := all.Stream("hosts"); !ok {
		t.Error("all.Stream(hosts) not found")
	}
}

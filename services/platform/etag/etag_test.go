package etag

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	if err := Check(Of(3), 3); err != nil {
		t.Fatalf("current etag refused: %v", err)
	}
	if err := Check("", 3); err != nil {
		t.Fatalf("empty etag refused: %v", err)
	}
	if err := Check(Of(2), 3); !errors.Is(err, ErrStale) {
		t.Fatalf("stale etag accepted: %v", err)
	}
}

package boot

import (
	"testing"

	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

func TestDistinctDurables(t *testing.T) {
	t.Parallel()
	ok := []*natsx.Consumer{{Stream: identityevents.Stream.Name, Durable: "desk-identity"}, {Stream: identityevents.Stream.Name, Durable: "desk-settings"}, {Stream: hostsevents.Stream.Name, Durable: "desk-identity"}}
	if err := distinctDurables(ok); err != nil {
		t.Errorf("distinct consumers refused: %v", err)
	}
	clash := append(ok, &natsx.Consumer{Stream: identityevents.Stream.Name, Durable: "desk-identity"})
	if err := distinctDurables(clash); err == nil {
		t.Error("two consumers named desk-identity on IDENTITY accepted")
	}
}

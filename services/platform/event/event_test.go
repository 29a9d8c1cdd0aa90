package event_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"
	"google.golang.org/protobuf/types/known/wrapperspb"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/event"
)

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 14, 15, 9, 26, 535_000_000, time.UTC)
	e, err := event.New("cohabit.test.thing.happened", "prog-1", at, wrapperspb.String("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := uuid.Parse(e.GetId()); err != nil {
		t.Fatalf("id %q is not a uuid: %v", e.GetId(), err)
	}
	if e.GetType() != "cohabit.test.thing.happened" || e.GetProgrammeId() != "prog-1" {
		t.Fatalf("type/programme = %q/%q", e.GetType(), e.GetProgrammeId())
	}
	if !e.GetOccurredAt().AsTime().Equal(at) {
		t.Fatalf("occurred at %v, want %v", e.GetOccurredAt().AsTime(), at)
	}

	data, err := proto.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := event.Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if !proto.Equal(got, e) {
		t.Fatalf("decoded %v, want %v", got, e)
	}
	p, err := event.Payload(got, &wrapperspb.StringValue{})
	if err != nil {
		t.Fatalf("Payload: %v", err)
	}
	if p.GetValue() != "hello" {
		t.Fatalf("payload %q, want hello", p.GetValue())
	}

	// The payload type is checked: unpacking into another message fails.
	if _, err := event.Payload(got, &wrapperspb.Int64Value{}); err == nil {
		t.Fatal("Payload into the wrong type succeeded")
	}

	// Every event gets its own id.
	e2, err := event.New("cohabit.test.thing.happened", "prog-1", at, wrapperspb.String("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if e2.GetId() == e.GetId() {
		t.Fatal("two events share an id")
	}
}

func TestDecodeRefuses(t *testing.T) {
	t.Parallel()
	payload, err := anypb.New(wrapperspb.String("x"))
	if err != nil {
		t.Fatal(err)
	}
	full := &eventsv1.Envelope{
		Id:          uuid.NewString(),
		Type:        "cohabit.test.thing.happened",
		ProgrammeId: "p",
		OccurredAt:  timestamppb.Now(),
		Payload:     payload,
	}
	without := func(clear func(*eventsv1.Envelope)) []byte {
		e := proto.Clone(full).(*eventsv1.Envelope)
		clear(e)
		b, err := proto.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cases := map[string][]byte{
		"garbage":         []byte("not a protobuf message"),
		"truncated":       without(func(*eventsv1.Envelope) {})[:10],
		"empty":           {},
		"nil":             nil,
		"missing id":      without(func(e *eventsv1.Envelope) { e.Id = "" }),
		"missing type":    without(func(e *eventsv1.Envelope) { e.Type = "" }),
		"missing payload": without(func(e *eventsv1.Envelope) { e.Payload = nil }),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if e, err := event.Decode(data); err == nil {
				t.Fatalf("Decode accepted %q as %v", data, e)
			}
		})
	}
	// The control: the full envelope decodes.
	if _, err := event.Decode(without(func(*eventsv1.Envelope) {})); err != nil {
		t.Fatalf("full envelope refused: %v", err)
	}
}

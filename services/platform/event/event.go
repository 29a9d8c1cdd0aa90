// Package event builds and reads the envelope every event travels in.
package event

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
)

// New wraps payload in an envelope with a fresh id. subject is the full subject,
// cohabit.<service>.<record>.<fact>.
func New(subject, programmeID string, at time.Time, payload proto.Message) (*eventsv1.Envelope, error) {
	a, err := anypb.New(payload)
	if err != nil {
		return nil, fmt.Errorf("pack %s payload: %w", subject, err)
	}
	return &eventsv1.Envelope{
		Id:          uuid.NewString(),
		Type:        subject,
		ProgrammeId: programmeID,
		OccurredAt:  timestamppb.New(at),
		Payload:     a,
	}, nil
}

// Decode reads an envelope off the wire.
func Decode(data []byte) (*eventsv1.Envelope, error) {
	var e eventsv1.Envelope
	if err := proto.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("decode envelope: %w", err)
	}
	if e.GetId() == "" || e.GetType() == "" || e.GetPayload() == nil {
		return nil, fmt.Errorf("decode envelope: missing id, type or payload")
	}
	return &e, nil
}

// Payload unpacks the envelope's payload into a new message of type T.
func Payload[T proto.Message](e *eventsv1.Envelope, into T) (T, error) {
	if err := e.GetPayload().UnmarshalTo(into); err != nil {
		return into, fmt.Errorf("unpack %s payload: %w", e.GetType(), err)
	}
	return into, nil
}

// Of wraps payload in a fresh envelope of ev, the catalogue's event (proto/eventcat): its
// subject, and a payload of the type the catalogue says it carries.
func Of[T proto.Message](ev eventcat.Event[T], programmeID string, at time.Time, payload T) (*eventsv1.Envelope, error) {
	return New(ev.Subject, programmeID, at, payload)
}

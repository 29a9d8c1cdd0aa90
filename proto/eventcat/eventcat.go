// Package eventcat is the event catalogue's vocabulary: a stream, and an event (its subject,
// the stream that carries it, its payload's type). The catalogue itself is one package per
// service beside it (eventcat/hostsevents, …), and eventcat/all lists them all.
//
// Every subject and stream name is written here once: publishers build their envelopes from
// an Event, consumers follow Events, and a test (services/stack) refuses a subject or stream
// literal anywhere else. A subject is cohabit.<service>.<record>.<fact>; a stream holds every
// subject under cohabit.<service>.>.
package eventcat

import (
	"fmt"
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Stream is one service's JetStream stream.
type Stream struct {
	// Name is the stream's JetStream name (HOSTS).
	Name string
	// Service is the service that owns it and the second word of its subjects (hosts).
	Service string
}

// NewStream declares the stream name of service's subjects.
func NewStream(name, service string) Stream { return Stream{Name: name, Service: service} }

// Subjects is the stream's subject filter: every subject under cohabit.<service>.>.
func (s Stream) Subjects() []string { return []string{s.prefix() + ">"} }

func (s Stream) prefix() string { return "cohabit." + s.Service + "." }

// Owns says whether subject is one of the stream's.
func (s Stream) Owns(subject string) bool { return strings.HasPrefix(subject, s.prefix()) }

// Event is one fact: the subject it is published on, its stream, and its payload's type T.
// Several facts may share a payload type (ContractChanged for ten contract facts); the subject
// says which fact it is.
type Event[T proto.Message] struct {
	Subject string
	Stream  Stream
}

// Define declares the event of subject on stream, with payload T. It panics when the subject
// is not one of the stream's: the catalogue is wrong, and every test that loads it says so.
func Define[T proto.Message](stream Stream, subject string) Event[T] {
	if !stream.Owns(subject) || strings.Count(subject, ".") != 3 {
		panic(fmt.Sprintf("eventcat: %s is not a cohabit.%s.<record>.<fact> subject of stream %s", subject, stream.Service, stream.Name))
	}
	return Event[T]{Subject: subject, Stream: stream}
}

// New returns an empty payload of the event's type, to decode into.
func (e Event[T]) New() T {
	var zero T
	return zero.ProtoReflect().Type().New().Interface().(T)
}

// Entry is an Event of any payload type, for lists of the catalogue.
type Entry interface {
	SubjectName() string
	StreamOf() Stream
	// Payload is the full name of the payload's message (cohabit.hosts.events.v1.RoomUpdated).
	Payload() protoreflect.FullName
	// NewPayload returns an empty payload of the event's type.
	NewPayload() proto.Message
}

// SubjectName is e.Subject (for Entry).
func (e Event[T]) SubjectName() string { return e.Subject }

// StreamOf is e.Stream (for Entry).
func (e Event[T]) StreamOf() Stream { return e.Stream }

// Payload is the full name of T.
func (e Event[T]) Payload() protoreflect.FullName {
	var zero T
	return zero.ProtoReflect().Descriptor().FullName()
}

// NewPayload is New as a proto.Message (for Entry).
func (e Event[T]) NewPayload() proto.Message { return e.New() }

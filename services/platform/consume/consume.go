// Package consume is how every service follows other services' events: each handler is
// named by an event of the catalogue (proto/eventcat), gets the event's payload already
// decoded to its type, and runs inside the inbox transaction, so that claiming the event, the
// change it makes and the events that change publishes (the outbox's rows) commit together.
//
//	consume.Group{Durable: "hosts-matching", DB: pool, Handlers: []consume.Handler{
//		consume.On(matchingevents.MatchApproved, func(ctx context.Context, tx pgx.Tx, m consume.Meta, p *matchingeventsv1.MatchApproved) error { … }),
//	}}.Consumer(log)
//
// The durable consumer's stream and filter subjects come from its handlers. Retry or
// terminate is decided here, once, for every service (see Classify): a payload that does not
// decode, an id that is not a UUID (IDs), natsx.ErrPermanent, or a refusal of the domain
// (FailedPrecondition, NotFound, InvalidArgument) terminates the event; anything else — a
// state that is not there yet (ErrNotYet), a database failure — is retried later with a
// growing delay by natsx.
package consume

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc/codes"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/inbox"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Meta is what the envelope says of an event besides its payload.
type Meta struct {
	ID          string
	Subject     string
	ProgrammeID string
	OccurredAt  time.Time
	// Inbox is the name the event is claimed under (the durable's, unless the group says
	// otherwise).
	Inbox string
}

// Func handles one event of payload type T, in tx, the inbox transaction.
type Func[T proto.Message] func(ctx context.Context, tx pgx.Tx, m Meta, p T) error

// Handler is one event's handling, made by On.
type Handler struct {
	subject string
	stream  eventcat.Stream
	run     func(ctx context.Context, tx pgx.Tx, m Meta, p proto.Message) error
	decode  func(e *eventsv1.Envelope) (proto.Message, error)
}

// Subject is the subject the handler follows.
func (h Handler) Subject() string { return h.subject }

// On handles ev with fn.
func On[T proto.Message](ev eventcat.Event[T], fn Func[T]) Handler {
	return Handler{
		subject: ev.Subject,
		stream:  ev.Stream,
		decode: func(e *eventsv1.Envelope) (proto.Message, error) {
			p := ev.New()
			if err := e.GetPayload().UnmarshalTo(p); err != nil {
				return nil, fmt.Errorf("payload of %s is not a %s: %w", ev.Subject, ev.Payload(), err)
			}
			return p, nil
		},
		run: func(ctx context.Context, tx pgx.Tx, m Meta, p proto.Message) error { return fn(ctx, tx, m, p.(T)) },
	}
}

// OnEach handles each of evs, which share a payload type, with fn (m.Subject says which).
func OnEach[T proto.Message](evs []eventcat.Event[T], fn Func[T]) []Handler {
	out := make([]Handler, 0, len(evs))
	for _, ev := range evs {
		out = append(out, On(ev, fn))
	}
	return out
}

// Group is one durable consumer of one stream.
type Group struct {
	// Durable is the JetStream durable's name, "<service>-<source>".
	Durable string
	// Inbox is the name events are claimed under in the inbox; Durable when empty. (A few
	// consumers keep the inbox name they had before their durable was renamed.)
	Inbox string
	// DB is the service's database: the inbox, and the handlers' transaction.
	DB       pg.Beginner
	Handlers []Handler
	// Committed, when set, is called after an event's transaction committed (a worker to
	// wake for what the handler wrote).
	Committed func()
}

// Consumer returns g as a durable consumer of its handlers' stream, filtered on their
// subjects. It panics on a group that cannot work (no handler, handlers of two streams, one
// subject handled twice): a programming error that every start of the service shows at once.
func (g Group) Consumer(log *slog.Logger) *natsx.Consumer {
	if len(g.Handlers) == 0 {
		panic(fmt.Sprintf("consume: group %s has no handler", g.Durable))
	}
	bySubject := make(map[string]Handler, len(g.Handlers))
	stream := g.Handlers[0].stream
	for _, h := range g.Handlers {
		if h.stream != stream {
			panic(fmt.Sprintf("consume: group %s follows streams %s and %s: one durable consumer reads one stream", g.Durable, stream.Name, h.stream.Name))
		}
		if _, dup := bySubject[h.subject]; dup {
			panic(fmt.Sprintf("consume: group %s handles %s twice", g.Durable, h.subject))
		}
		bySubject[h.subject] = h
	}
	subjects := slices.Sorted(func(yield func(string) bool) {
		for s := range bySubject {
			if !yield(s) {
				return
			}
		}
	})
	name := g.Inbox
	if name == "" {
		name = g.Durable
	}
	return &natsx.Consumer{Stream: stream.Name, Durable: g.Durable, Subjects: subjects, Log: log,
		Handle: func(ctx context.Context, e *eventsv1.Envelope) error {
			h, ok := bySubject[e.GetType()]
			if !ok {
				return nil // outside the filter: a message the stream let through by mistake
			}
			return Classify(g.handle(ctx, name, h, e))
		}}
}

// handle decodes e's payload once and runs h in the inbox transaction of e for inboxName.
func (g Group) handle(ctx context.Context, inboxName string, h Handler, e *eventsv1.Envelope) error {
	if !ids.Valid(e.GetId()) {
		return fmt.Errorf("%w: %s: event id %q is not a UUID", natsx.ErrPermanent, e.GetType(), e.GetId())
	}
	p, err := h.decode(e)
	if err != nil {
		return fmt.Errorf("%w: %s %s: %w", natsx.ErrPermanent, e.GetType(), e.GetId(), err)
	}
	m := Meta{ID: e.GetId(), Subject: e.GetType(), ProgrammeID: e.GetProgrammeId(), OccurredAt: e.GetOccurredAt().AsTime(), Inbox: inboxName}
	err = inbox.Handle(ctx, g.DB, inboxName, e.GetId(), func(tx pgx.Tx) error { return h.run(ctx, tx, m, p) })
	if err != nil {
		return fmt.Errorf("%s %s: %w", e.GetType(), e.GetId(), err)
	}
	if g.Committed != nil {
		g.Committed()
	}
	return nil
}

// ErrNotYet marks an event that arrived before the state it needs (a contract activated
// before its match's approval was applied): it is retried later, never dropped. Any error
// that is not permanent is retried the same way; wrapping ErrNotYet says why, and keeps a
// domain refusal wrapped with it from terminating the event.
var ErrNotYet = errors.New("not ready for this event yet")

// Permanent marks err as one no retry will fix: the event is terminated and logged.
func Permanent(err error) error { return fmt.Errorf("%w: %w", natsx.ErrPermanent, err) }

// IDs returns a permanent error when one of ids is not a UUID (an event that names no
// record this platform makes), naming which.
func IDs(list ...string) error {
	for _, id := range list {
		if !ids.Valid(id) {
			return Permanent(fmt.Errorf("id %q is not a UUID", id))
		}
	}
	return nil
}

// Classify is the platform's one retry policy for a handler's error: nil stays nil (ack);
// ErrNotYet is retried; natsx.ErrPermanent, and a refusal of the domain (errs'
// FailedPrecondition, NotFound, InvalidArgument: the event asks for what the record's state
// forbids, or names what does not exist), are terminated; anything else (a database or
// network failure) is retried later.
func Classify(err error) error {
	switch {
	case err == nil, errors.Is(err, ErrNotYet), errors.Is(err, natsx.ErrPermanent):
		return err
	}
	switch errs.CodeOf(err) {
	case codes.FailedPrecondition, codes.NotFound, codes.InvalidArgument:
		return Permanent(err)
	}
	return err
}

// Stream is the JetStream declaration of a service's stream from the catalogue: its name and
// its subjects, cohabit.<service>.> (the owning service ensures it at start-up).
func Stream(s eventcat.Stream) natsx.Stream {
	return natsx.Stream{Name: s.Name, Subjects: s.Subjects()}
}

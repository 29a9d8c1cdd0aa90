// Package revocation keeps a service's list of ended sessions (auth.Revocations) from the
// identity service's SessionsRevoked events, so that a token stops working everywhere soon
// after sign-out or after a coordinator or an admin ended an account's sessions — without a
// call to the identity service on every request.
//
// Every process follows the events with an ordered (ephemeral, in-memory) consumer from
// Window ago: a list rebuilt at each start, never a durable consumer that would give each
// event to one replica only.
package revocation

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
)

const (
	// Window is how far back a starting process reads: longer than any token lives (the
	// identity service refuses a token lifetime above it).
	Window = 24 * time.Hour
)

// Follow applies every SessionsRevoked event of the last Window to revs, then each new one,
// until ctx is done. It waits for the stream while the identity service has not declared it.
func Follow(ctx context.Context, js jetstream.JetStream, revs *auth.Revocations, log *slog.Logger) error {
	var cons jetstream.Consumer
	for {
		var err error
		cons, err = js.OrderedConsumer(ctx, identityevents.SessionsRevoked.Stream.Name, jetstream.OrderedConsumerConfig{
			FilterSubjects: []string{identityevents.SessionsRevoked.Subject},
			DeliverPolicy:  jetstream.DeliverByStartTimePolicy,
			OptStartTime:   ptr(time.Now().Add(-Window)),
		})
		if err == nil {
			break
		}
		log.WarnContext(ctx, "revocations: stream not ready; retrying", "stream", identityevents.SessionsRevoked.Stream.Name, "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(time.Second):
		}
	}
	cc, err := cons.Consume(func(m jetstream.Msg) {
		if err := Apply(revs, m.Data()); err != nil {
			log.ErrorContext(ctx, "revocations: event skipped", "subject", m.Subject(), "err", err)
		}
	})
	if err != nil {
		return fmt.Errorf("revocations: consume: %w", err)
	}
	<-ctx.Done()
	cc.Stop()
	return nil
}

// Apply applies one SessionsRevoked event, as it travels, to revs.
func Apply(revs *auth.Revocations, data []byte) error {
	e, err := event.Decode(data)
	if err != nil {
		return err
	}
	r, err := event.Payload(e, identityevents.SessionsRevoked.New())
	if err != nil {
		return err
	}
	until := r.GetExpireTime().AsTime()
	switch {
	case r.GetSessionId() != "":
		revs.RevokeSession(r.GetSessionId(), until)
	case r.GetAccountId() != "":
		revs.RevokeAccount(r.GetAccountId(), r.GetRevokeTime().AsTime(), until)
	default:
		return fmt.Errorf("event %s names neither a session nor an account", e.GetId())
	}
	return nil
}

func ptr[T any](v T) *T { return &v }

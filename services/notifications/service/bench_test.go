package service_test

import (
	"bytes"
	"net/mail"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/mailsink"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// BenchmarkDelivery publishes b.N proposals (two emails each: host and student) and waits
// until the local SMTP server has accepted every message, through the whole path: JetStream,
// the consumer's inbox transaction, the dispatcher's claim, the contact read, the template,
// SMTP. It reports emails per second and the delay from the event's commit (its occurredAt,
// set when the test publishes it) to the SMTP server's acceptance, p50 and p99.
func BenchmarkDelivery(b *testing.B) {
	e := start(b, options{})
	var mu sync.Mutex
	published := map[string]time.Time{} // Message-ID → the event's commit
	var delays []time.Duration
	done := make(chan struct{})
	want := 2 * b.N
	e.sink.OnAccept(func(m mailsink.Message) {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
		if err != nil {
			return
		}
		id := msg.Header.Get("Message-Id")
		mu.Lock()
		defer mu.Unlock()
		if t, ok := published[id]; ok {
			delays = append(delays, m.Time.Sub(t))
		}
		if len(delays) == want {
			close(done)
		}
	})
	type pair struct{ host, student string }
	pairs := make([]pair, b.N)
	for i := range pairs {
		pairs[i] = pair{e.people.add(jeanne), e.people.add(lea)}
	}
	b.ResetTimer()
	start := time.Now()
	for _, p := range pairs {
		env, err := event.New(matchingevents.MatchProposed.Subject, programme, time.Now(), proposed(p.host, p.student))
		if err != nil {
			b.Fatal(err)
		}
		mu.Lock()
		published["<"+notice.MessageID(env.GetId(), p.host, notice.Email)+">"] = env.GetOccurredAt().AsTime()
		published["<"+notice.MessageID(env.GetId(), p.student, notice.Email)+">"] = env.GetOccurredAt().AsTime()
		mu.Unlock()
		svctest.PublishEnvelope(b, e.js, env)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Minute):
		b.Fatalf("only %d of %d emails accepted", len(delays), want)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(delays)
	b.ReportMetric(float64(want)/elapsed.Seconds(), "emails/s")
	b.ReportMetric(float64(delays[len(delays)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(delays[min(len(delays)-1, len(delays)*99/100)].Microseconds())/1000, "p99-ms")
}

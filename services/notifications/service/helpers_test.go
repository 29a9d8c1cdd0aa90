package service_test

import (
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/app"
	"github.com/cohabit/cohabit/services/notifications/internal/contact"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
	"github.com/cohabit/cohabit/services/notifications/internal/postgres"
	"github.com/cohabit/cohabit/services/notifications/mailsink"
	"github.com/cohabit/cohabit/services/notifications/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

const programme = "p1"

// people is the contact reader of the tests: the hosts' and students' records as their
// services would answer GetHost and GetStudent.
type people struct {
	mu sync.Mutex
	m  map[string]contact.Person
}

func (p *people) Read(_ context.Context, _ notice.Kind, id string) (contact.Person, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.m[id]
	if !ok {
		return contact.Person{}, contact.ErrNotFound
	}
	return v, nil
}

func (p *people) add(v contact.Person) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	id := uuid.NewString()
	p.m[id] = v
	return id
}

type invitations struct{}

func (invitations) Code(_ context.Context, id string) (string, error) { return "code-" + id[:8], nil }

type env struct {
	client notificationsv1.NotificationServiceClient
	js     jetstream.JetStream
	issuer *auth.Issuer
	people *people
	sink   *mailsink.Sink
	mail   string // the sink's folder
	addr   string // the sink's address, to restart it on the same port
	pool   *pgxpool.Pool
	app    *app.App
}

type options struct {
	// noSink starts the service with no SMTP server listening (an outage).
	noSink bool
	// now is the service's clock (time.Now when nil).
	now func() time.Time
	// sms gives the test's programme the dev SMS provider, writing in this folder.
	sms string
}

// start boots the notifications service on a fresh database and NATS server, with the other
// services' streams declared (the test publishes their events), a real SMTP server (mailsink)
// and the dispatcher running every 50 ms, retries after 100 ms.
func start(t testing.TB, o options) *env {
	t.Helper()
	url := svctest.DatabaseURL(t, "notifications", postgres.Sets()...)
	ns := natstest.New(t)
	js := svctest.JetStream(t, ns.URL())
	for _, s := range []natsx.Stream{
		{Name: matchingevents.Stream.Name, Subjects: matchingevents.Stream.Subjects()},
		{Name: contractsevents.Stream.Name, Subjects: contractsevents.Stream.Subjects()},
		{Name: hostsevents.Stream.Name, Subjects: hostsevents.Stream.Subjects()},
		{Name: studentsevents.Stream.Name, Subjects: studentsevents.Stream.Subjects()},
		{Name: identityevents.Stream.Name, Subjects: identityevents.Stream.Subjects()},
	} {
		if err := natsx.EnsureStream(context.Background(), js, s); err != nil {
			t.Fatal(err)
		}
	}
	e := &env{js: js, people: &people{m: map[string]contact.Person{}}, mail: t.TempDir()}
	sink, err := mailsink.Start("127.0.0.1:0", e.mail, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.addr = sink.Addr()
	smtpURL := sink.URL()
	if o.noSink {
		if err := sink.Close(); err != nil {
			t.Fatal(err)
		}
	} else {
		e.sink = sink
		t.Cleanup(func() { _ = e.sink.Close() })
	}
	pub, issuer := svctest.Keys(t)
	e.issuer = issuer
	started := make(chan *app.App, 1)
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config:           boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
			SMTPURL:          smtpURL,
			MailFrom:         "no-reply@cohabit.test",
			PublicURL:        "http://cohabit.test",
			Contacts:         e.people,
			Invitations:      invitations{},
			DispatchInterval: 50 * time.Millisecond,
			RetryBase:        100 * time.Millisecond,
			Started:          func(a *app.App) { started <- a },
			Now:              o.now,
			SMSDir:           o.sms,
			SMSProviders:     smsProviders(o.sms),
		}, logging.Discard())
	})
	e.app = <-started
	e.client = notificationsv1.NewNotificationServiceClient(cc)
	pool, err := pg.Open(context.Background(), url, 2)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	e.pool = pool
	return e
}

// restartSink starts the SMTP server again on the address the service sends to.
func (e *env) restartSink(t *testing.T) {
	t.Helper()
	var err error
	for range 50 { // the port may take a moment to be free again
		if e.sink, err = mailsink.Start(e.addr, e.mail, nil); err == nil {
			t.Cleanup(func() { _ = e.sink.Close() })
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal(err)
}

func (e *env) as(t *testing.T, role auth.Role, account string) context.Context {
	t.Helper()
	tok, _, err := e.issuer.Issue(auth.Principal{AccountID: account, Role: role, ProgrammeID: programme})
	if err != nil {
		t.Fatal(err)
	}
	return metadataCtx(tok)
}

func (e *env) publish(t *testing.T, subject string, payload proto.Message) string {
	t.Helper()
	return svctest.Publish(t, e.js, subject, programme, payload).GetId()
}

// received is a message the SMTP server kept, decoded.
type received struct {
	To, Subject, MessageID, Language, Body string
}

func (e *env) messages(t *testing.T) []received {
	t.Helper()
	ms, err := mailsink.Messages(e.mail)
	if err != nil {
		t.Fatal(err)
	}
	var out []received
	dec := new(mime.WordDecoder)
	for _, m := range ms {
		msg, err := mail.ReadMessage(strings.NewReader(string(m.Data)))
		if err != nil {
			t.Fatal(err)
		}
		subj, _ := dec.DecodeHeader(msg.Header.Get("Subject"))
		to, _ := dec.DecodeHeader(msg.Header.Get("To"))
		out = append(out, received{To: to, Subject: subj, MessageID: msg.Header.Get("Message-Id"),
			Language: msg.Header.Get("Content-Language"), Body: decodeBody(string(m.Data))})
	}
	return out
}

// to returns the messages sent to address.
func (e *env) to(t *testing.T, address string) []received {
	var out []received
	for _, m := range e.messages(t) {
		if strings.Contains(m.To, address) {
			out = append(out, m)
		}
	}
	return out
}

// waitFor polls cond until it holds, for at most 15 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// rows returns the notifications recorded for recipient, through the database.
func (e *env) rows(t *testing.T, recipient string) []postgres.Notification {
	t.Helper()
	ns, err := postgres.New(e.pool).List(context.Background(), postgres.Filter{RecipientIDs: []string{recipient}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return ns
}

// settle gives the consumers and the dispatcher time to do anything more they would do (for
// the checks that something does NOT happen).
func settle() { time.Sleep(500 * time.Millisecond) }

func metadataCtx(token string) context.Context {
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+token)
}

// decodeBody returns the text/plain part of a raw message, decoded.
func decodeBody(raw string) string {
	msg, err := mail.ReadMessage(strings.NewReader(raw))
	if err != nil {
		return ""
	}
	return textPart(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), msg.Body)
}

func textPart(contentType, encoding string, body io.Reader) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	if strings.HasPrefix(mt, "multipart/") {
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextPart()
			if err != nil {
				return ""
			}
			// multipart.Part decodes quoted-printable itself.
			if s := textPart(p.Header.Get("Content-Type"), "", p); s != "" {
				return s
			}
		}
	}
	if mt != "text/plain" {
		return ""
	}
	if strings.EqualFold(encoding, "quoted-printable") {
		body = quotedprintable.NewReader(body)
	} else if strings.EqualFold(encoding, "base64") {
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, _ := io.ReadAll(body)
	return string(b)
}

func smsProviders(dir string) string {
	if dir == "" {
		return ""
	}
	return programme + "=dev"
}

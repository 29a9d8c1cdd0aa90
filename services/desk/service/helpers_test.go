package service_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/cohabit/cohabit/proto/eventcat/contractsevents"
	"github.com/cohabit/cohabit/proto/eventcat/hostsevents"
	"github.com/cohabit/cohabit/proto/eventcat/identityevents"
	"github.com/cohabit/cohabit/proto/eventcat/matchingevents"
	"github.com/cohabit/cohabit/proto/eventcat/notificationsevents"
	"github.com/cohabit/cohabit/proto/eventcat/studentsevents"
	deskv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/desk/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/desk/internal/app"
	"github.com/cohabit/cohabit/services/desk/internal/postgres"
	"github.com/cohabit/cohabit/services/desk/service"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/boot"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natstest"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/svctest"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

type env struct {
	client deskv1.DeskServiceClient
	js     jetstream.JetStream
	issuer *auth.Issuer
	clock  *clock
	app    *app.App
}

func start(t *testing.T) *env {
	t.Helper()
	url := svctest.DatabaseURL(t, "desk", postgres.Sets()...)
	ns := natstest.New(t)
	pub, issuer := svctest.Keys(t)
	e := &env{issuer: issuer, clock: &clock{t: time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)}}
	started := make(chan *app.App, 1)
	cc := svctest.Start(t, func(ctx context.Context, ready func(net.Addr)) error {
		return service.Run(ctx, service.Config{
			Config:         boot.Config{GRPCAddr: "127.0.0.1:0", DatabaseURL: url, NATSURL: ns.URL(), TokenKey: pub, Ready: ready},
			Now:            e.clock.now,
			ExpiryInterval: -1,
			PublicURL:      "https://cohabit.example",
			Started:        func(a *app.App) { started <- a },
		}, logging.Discard())
	})
	e.app = <-started
	e.client = deskv1.NewDeskServiceClient(cc)
	e.js = svctest.JetStream(t, ns.URL())
	// The streams of the services the desk follows, which their services would declare.
	for _, name := range []string{identityevents.Stream.Name, hostsevents.Stream.Name, studentsevents.Stream.Name, matchingevents.Stream.Name, contractsevents.Stream.Name, notificationsevents.Stream.Name} {
		s := natsx.Stream{Name: name, Subjects: []string{"cohabit." + strings.ToLower(name) + ".>"}}
		if err := natsx.EnsureStream(t.Context(), e.js, s); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func (e *env) as(t *testing.T, role auth.Role, programme string) (context.Context, string) {
	t.Helper()
	return svctest.As(t, e.issuer, role, programme)
}

// host publishes a host's registration, as the hosts service would, and returns its id.
func (e *env) host(t *testing.T, programme, owner string, tenant bool) string {
	t.Helper()
	id := ids.New()
	svctest.Publish(t, e.js, hostsevents.HostRegistered.Subject, programme, &hostseventsv1.HostRegistered{Host: &hostseventsv1.HostProfile{
		HostId: id, ProgrammeId: programme, Status: "PENDING_VERIFICATION", OwnerAccountId: owner, IsTenant: tenant,
	}})
	return id
}

// student publishes a student's registration and returns its id.
func (e *env) student(t *testing.T, programme, owner string) string {
	t.Helper()
	id := ids.New()
	svctest.Publish(t, e.js, studentsevents.StudentRegistered.Subject, programme, &studentseventsv1.StudentRegistered{Student: &studentseventsv1.StudentProfile{
		StudentId: id, ProgrammeId: programme, Status: "PENDING_VERIFICATION", OwnerAccountId: owner,
	}})
	return id
}

// documents waits until owner has n documents, as the coordinator sees them.
func (e *env) documents(t *testing.T, coord context.Context, owner string, n int) []*deskv1.Document {
	t.Helper()
	// Generous: the machine running the tests may be busy, and a consumer waiting for its
	// stream retries every second.
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := e.client.ListDocuments(coord, &deskv1.ListDocumentsRequest{OwnerId: owner})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.GetDocuments()) >= n || time.Now().After(deadline) {
			if len(res.GetDocuments()) != n {
				t.Fatalf("owner %s has %d documents, want %d: %v", owner, len(res.GetDocuments()), n, res.GetDocuments())
			}
			return res.GetDocuments()
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func byKind(docs []*deskv1.Document) map[string]*deskv1.Document {
	m := map[string]*deskv1.Document{}
	for _, d := range docs {
		m[d.GetKind().String()] = d
	}
	return m
}

// A minimal PDF and PNG: what the type sniffing reads is their first bytes.
var (
	pdfFile = []byte("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
	pngFile = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 32)...)
)

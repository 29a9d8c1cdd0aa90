// Package svctest is what a service's component tests share: a fresh database at the service's
// schema, the service's Run started in the test's process and a gRPC connection to it, signed
// tokens for any role, and reading and writing events on JetStream.
package svctest

import (
	"context"
	"crypto/ed25519"
	"io/fs"
	"net"
	"path"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go/jetstream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/logging"
	"github.com/cohabit/cohabit/services/platform/natsx"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/pgtest"
)

// StartTimeout bounds how long Start waits for a service to listen.
const StartTimeout = 20 * time.Second

// SchemaKey names the test template of a schema made of sets (as pg.Migrate applies them):
// name, then a hash of every set's files under its version table's name, so that a change to
// any set (the platform's outbox, inbox or programmes as well as the service's own) builds a
// new template instead of reusing a stale one.
func SchemaKey(name string, sets ...pg.Migrations) string {
	all := fstest.MapFS{}
	for _, set := range sets {
		err := fs.WalkDir(set.FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(set.FS, p)
			if err != nil {
				return err
			}
			all[path.Join(set.Table, p)] = &fstest.MapFile{Data: b}
			return nil
		})
		if err != nil {
			panic("svctest: read migrations of " + set.Table + ": " + err.Error()) // an embed bug
		}
	}
	return name + "_" + pgtest.Hash(all)
}

// DatabaseURL returns the URL of a fresh database migrated to sets, dropped when t ends (see
// pgtest: skipped without PostgreSQL, except in CI).
func DatabaseURL(t testing.TB, name string, sets ...pg.Migrations) string {
	t.Helper()
	return pgtest.NewURL(t, SchemaKey(name, sets...), func(ctx context.Context, url string) error {
		return pg.Migrate(ctx, url, sets...)
	})
}

// Pool opens a pool of up to 8 connections on a fresh database migrated to sets (DatabaseURL),
// closed when t ends, before the database is dropped.
func Pool(t testing.TB, name string, sets ...pg.Migrations) *pgxpool.Pool {
	t.Helper()
	url := DatabaseURL(t, name, sets...)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pg.Open(ctx, url, 8)
	if err != nil {
		t.Fatalf("svctest: open %s database: %v", name, err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// Start runs a service in the background, as a service's Run: run must serve until ctx is
// done and call ready with the gRPC listener's address. Start returns a connection to that
// address once it listens; when t ends, the service is stopped and must return nil.
func Start(t testing.TB, run func(ctx context.Context, ready func(net.Addr)) error) *grpc.ClientConn {
	t.Helper()
	addrc := make(chan net.Addr, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, func(a net.Addr) { addrc <- a }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("service stopped with %v", err)
		}
	})
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-done:
		done <- nil // reported here; lets the cleanup return
		t.Fatalf("service did not start: %v", err)
	case <-time.After(StartTimeout):
		t.Fatalf("service did not start in %v", StartTimeout)
	}
	cc, err := grpcx.Dial(addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cc.Close() })
	return cc
}

// Keys returns a fresh token key pair: the public key to configure the service with, and an
// issuer of tokens it accepts, valid for an hour.
func Keys(t testing.TB) (ed25519.PublicKey, *auth.Issuer) {
	t.Helper()
	pub, priv, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return pub, auth.NewIssuer(priv, time.Hour)
}

// ServiceKeys returns a fresh service key pair: the keys to configure services with (both
// halves, so a service both serves and makes service calls), and a context that calls as a
// service named name.
func ServiceKeys(t testing.TB, name string) (auth.ServiceKeys, context.Context) {
	t.Helper()
	pub, priv, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	tok, err := auth.NewServiceIssuer(priv, name).Token()
	if err != nil {
		t.Fatal(err)
	}
	ctx := metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok)
	return auth.ServiceKeys{Public: pub, Private: priv}, ctx
}

// As returns a context that calls as a new account of role in programme (a bearer token from
// issuer in the outgoing metadata), and that account's id.
func As(t testing.TB, issuer *auth.Issuer, role auth.Role, programme string) (context.Context, string) {
	t.Helper()
	id := uuid.NewString()
	tok, _, err := issuer.Issue(auth.Principal{AccountID: id, Role: role, ProgrammeID: programme})
	if err != nil {
		t.Fatal(err)
	}
	return metadata.AppendToOutgoingContext(context.Background(), "authorization", "Bearer "+tok), id
}

// WantCode ends the test unless err is a status of code, and returns the status.
func WantCode(t testing.TB, err error, code codes.Code) *status.Status {
	t.Helper()
	s, _ := status.FromError(err)
	if s.Code() != code {
		t.Fatalf("want %v, got %v", code, err)
	}
	return s
}

// Concurrently makes n calls at once, call(0) to call(n-1), and counts their outcomes by
// status code (codes.OK for nil), to check that concurrent writers are serialized: for
// instance that of n updates with the same etag exactly one succeeds and n-1 are Aborted.
func Concurrently(n int, call func(i int) error) map[codes.Code]int {
	results := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = call(i) })
	}
	wg.Wait()
	out := map[codes.Code]int{}
	for _, err := range results {
		out[status.Code(err)]++
	}
	return out
}

// JetStream connects to the NATS server at url, for the test's own reads and writes; the
// connection closes when t ends.
func JetStream(t testing.TB, url string) jetstream.JetStream {
	t.Helper()
	nc, js, err := natsx.Connect(url, "test", logging.Discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return js
}

// Publish publishes payload as an event of subject (a service's stream must hold it), as its
// owner's relay would, and returns the envelope.
func Publish(t testing.TB, js jetstream.JetStream, subject, programmeID string, payload proto.Message) *eventsv1.Envelope {
	t.Helper()
	env, err := event.New(subject, programmeID, time.Now(), payload)
	if err != nil {
		t.Fatal(err)
	}
	PublishEnvelope(t, js, env)
	return env
}

// PublishEnvelope publishes env on its type's subject, without a message id: JetStream does
// not drop a copy, so that a test can deliver the same event twice.
func PublishEnvelope(t testing.TB, js jetstream.JetStream, env *eventsv1.Envelope) {
	t.Helper()
	data, err := proto.Marshal(env)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := js.Publish(ctx, env.GetType(), data); err != nil {
		t.Fatal(err)
	}
}

// NextEvents reads stream from its start with an ephemeral consumer filtered on subject, and
// returns the first n messages; it ends the test when they do not come within seconds.
func NextEvents(t testing.TB, js jetstream.JetStream, stream, subject string, n int) []jetstream.Msg {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	c, err := js.OrderedConsumer(ctx, stream, jetstream.OrderedConsumerConfig{FilterSubjects: []string{subject}})
	if err != nil {
		t.Fatal(err)
	}
	var out []jetstream.Msg
	for len(out) < n {
		m, err := c.Next(jetstream.FetchMaxWait(10 * time.Second))
		if err != nil {
			t.Fatalf("waiting for %s (%d of %d): %v", subject, len(out), n, err)
		}
		out = append(out, m)
	}
	return out
}

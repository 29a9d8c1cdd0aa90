package grpcx_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
)

// The test service: hand-written, so that grpcx is tested without any generated service.
// Every method takes and returns a StringValue.
const service = "cohabit.test.v1.TestService"

func method(name string) string { return "/" + service + "/" + name }

type handlerFunc func(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error)

// testService maps method names to handlers; calls counts the calls that reached one.
type testService struct {
	handlers map[string]handlerFunc
	calls    atomic.Int64
}

func (s *testService) desc() *grpc.ServiceDesc {
	d := &grpc.ServiceDesc{ServiceName: service, HandlerType: (*any)(nil)}
	for name := range s.handlers {
		full := method(name)
		d.Methods = append(d.Methods, grpc.MethodDesc{
			MethodName: name,
			Handler: func(srv any, ctx context.Context, dec func(any) error, interceptor grpc.UnaryServerInterceptor) (any, error) {
				in := new(wrapperspb.StringValue)
				if err := dec(in); err != nil {
					return nil, err
				}
				h := func(ctx context.Context, req any) (any, error) {
					s.calls.Add(1)
					return srv.(*testService).handlers[name](ctx, req.(*wrapperspb.StringValue))
				}
				if interceptor == nil {
					return h(ctx, in)
				}
				return interceptor(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: full}, h)
			},
		})
	}
	return d
}

// logBuffer collects the server's logs, to check what it keeps from the client.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type fixture struct {
	conn    *grpc.ClientConn
	svc     *testService
	logs    *logBuffer
	tokenOf func(auth.Role) string
	priv    []byte
}

const secret = "password=hunter2 at db.internal:5432"

func newFixture(t *testing.T) *fixture {
	t.Helper()
	pub, priv, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	issuer := auth.NewIssuer(priv, time.Minute)
	tokenOf := func(r auth.Role) string {
		tok, _, err := issuer.Issue(auth.Principal{AccountID: "acc-" + string(r), Role: r, ProgrammeID: "prog-1"})
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	svc := &testService{handlers: map[string]handlerFunc{
		"Whoami": func(ctx context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			p, ok := auth.FromContext(ctx)
			if !ok {
				return nil, errors.New("no principal in context")
			}
			return wrapperspb.String(p.AccountID + "|" + string(p.Role) + "|" + p.ProgrammeID + "|" + grpcx.RequestID(ctx)), nil
		},
		"Open": func(_ context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			return in, nil
		},
		"NoRule": func(_ context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			return in, nil
		},
		"Invalid": func(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			var v errs.Violations
			v.Add("displayName", "must not be empty")
			v.Add("address.postcode", "must be 5 digits")
			return nil, v.Err()
		},
		"NotFound": func(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			return nil, errs.NotFound("HOST_NOT_FOUND", "no such host").WithCause(errors.New(secret))
		},
		"Plain": func(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			return nil, errors.New("query failed: " + secret)
		},
		"Downstream": func(_ context.Context, in *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			// What a call to another service may return: its status travels, unless internal.
			if in.GetValue() == "internal" {
				return nil, status.Error(codes.Internal, "downstream: "+secret)
			}
			return nil, status.Error(codes.Unavailable, "hosts is unavailable")
		},
		"Panic": func(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			panic("handler bug: " + secret)
		},
		"DatabaseGone": func(context.Context, *wrapperspb.StringValue) (*wrapperspb.StringValue, error) {
			// What a store returns when the primary it was talking to is lost (a failover).
			return nil, fmt.Errorf("get host: %w", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command " + secret})
		},
	}}
	policy := grpcx.Policy{
		method("Whoami"):       grpcx.Roles(auth.RoleCoordinator, auth.RoleAdmin),
		method("Open"):         grpcx.Public,
		method("Invalid"):      grpcx.Public,
		method("NotFound"):     grpcx.Public,
		method("Plain"):        grpcx.Public,
		method("Panic"):        grpcx.Public,
		method("Downstream"):   grpcx.Public,
		method("DatabaseGone"): grpcx.Public,
		// NoRule is registered but deliberately missing here.
	}
	logs := &logBuffer{}
	srv := grpcx.NewServer(slog.New(slog.NewTextHandler(logs, nil)), auth.NewVerifier(pub), policy)
	srv.RegisterService(svc.desc(), svc)

	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a }) }()
	var addr net.Addr
	select {
	case addr = <-addrc:
	case err := <-served:
		t.Fatalf("Serve: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})

	conn, err := grpcx.Dial(addr.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return &fixture{conn: conn, svc: svc, logs: logs, tokenOf: tokenOf, priv: priv}
}

// call invokes name with an optional bearer token and extra metadata pairs; it returns the
// reply, the response header and the error.
func (f *fixture) call(t *testing.T, name, token string, md ...string) (*wrapperspb.StringValue, metadata.MD, error) {
	t.Helper()
	return f.callWith(t, name, "in", token, md...)
}

func (f *fixture) callWith(t *testing.T, name, in, token string, md ...string) (*wrapperspb.StringValue, metadata.MD, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if token != "" {
		md = append(md, "authorization", "Bearer "+token)
	}
	if len(md) > 0 {
		ctx = metadata.AppendToOutgoingContext(ctx, md...)
	}
	var header metadata.MD
	out := new(wrapperspb.StringValue)
	err := f.conn.Invoke(ctx, method(name), wrapperspb.String(in), out, grpc.Header(&header))
	return out, header, err
}

// reason returns the ErrorInfo reason in st's details, or "".
func reason(st *status.Status) string {
	for _, d := range st.Details() {
		if info, ok := d.(*errdetails.ErrorInfo); ok {
			return info.GetReason()
		}
	}
	return ""
}

func TestAuthorization(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	expired, _, err := auth.NewIssuer(f.priv, -time.Hour).Issue(auth.Principal{AccountID: "a", Role: auth.RoleCoordinator})
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, err := auth.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	forged, _, err := auth.NewIssuer(otherKey, time.Minute).Issue(auth.Principal{AccountID: "a", Role: auth.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name, method, token string
		code                codes.Code
		reason              string
	}{
		{"method without a rule", "NoRule", f.tokenOf(auth.RoleAdmin), codes.PermissionDenied, "NO_RULE"},
		{"method without a rule, no token", "NoRule", "", codes.PermissionDenied, "NO_RULE"},
		{"no token", "Whoami", "", codes.Unauthenticated, "UNAUTHENTICATED"},
		{"garbage token", "Whoami", "not-a-token", codes.Unauthenticated, "BAD_TOKEN"},
		{"expired token", "Whoami", expired, codes.Unauthenticated, "BAD_TOKEN"},
		{"token signed by another key", "Whoami", forged, codes.Unauthenticated, "BAD_TOKEN"},
		{"wrong role", "Whoami", f.tokenOf(auth.RoleStudent), codes.PermissionDenied, "ROLE_NOT_ALLOWED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.svc.calls.Load()
			_, _, err := f.call(t, c.method, c.token)
			st := status.Convert(err)
			if st.Code() != c.code || reason(st) != c.reason {
				t.Fatalf("got %v (reason %q), want %v (reason %q)", st.Code(), reason(st), c.code, c.reason)
			}
			if f.svc.calls.Load() != before {
				t.Fatal("a refused call reached the handler")
			}
		})
	}

	t.Run("right role reaches the handler with its principal", func(t *testing.T) {
		out, _, err := f.call(t, "Whoami", f.tokenOf(auth.RoleCoordinator), "x-request-id", "req-42")
		if err != nil {
			t.Fatal(err)
		}
		if want := "acc-coordinator|coordinator|prog-1|req-42"; out.GetValue() != want {
			t.Fatalf("handler saw %q, want %q", out.GetValue(), want)
		}
	})
	t.Run("public method needs no token", func(t *testing.T) {
		if _, _, err := f.call(t, "Open", ""); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("public method ignores a stale token", func(t *testing.T) {
		if _, _, err := f.call(t, "Open", expired); err != nil {
			t.Fatalf("an expired token must not block a public call such as login: %v", err)
		}
	})
	t.Run("health is public", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		resp, err := healthpb.NewHealthClient(f.conn).Check(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if resp.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("health %v, want SERVING", resp.GetStatus())
		}
	})
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	t.Run("invalid argument carries field violations", func(t *testing.T) {
		_, _, err := f.call(t, "Invalid", "")
		st := status.Convert(err)
		if st.Code() != codes.InvalidArgument {
			t.Fatalf("code %v, want InvalidArgument", st.Code())
		}
		if reason(st) != "INVALID_ARGUMENT" {
			t.Fatalf("ErrorInfo reason %q, want INVALID_ARGUMENT", reason(st))
		}
		var fields []string
		for _, d := range st.Details() {
			if br, ok := d.(*errdetails.BadRequest); ok {
				for _, v := range br.GetFieldViolations() {
					fields = append(fields, v.GetField()+": "+v.GetDescription())
				}
			}
		}
		want := []string{"displayName: must not be empty", "address.postcode: must be 5 digits"}
		if strings.Join(fields, "; ") != strings.Join(want, "; ") {
			t.Fatalf("field violations %q, want %q", fields, want)
		}
	})
	t.Run("a known error keeps its code and hides its cause", func(t *testing.T) {
		_, _, err := f.call(t, "NotFound", "")
		st := status.Convert(err)
		if st.Code() != codes.NotFound || reason(st) != "HOST_NOT_FOUND" || st.Message() != "no such host" {
			t.Fatalf("got %v %q %q, want NotFound HOST_NOT_FOUND %q", st.Code(), reason(st), st.Message(), "no such host")
		}
	})
	t.Run("a plain error is internal and hidden", func(t *testing.T) {
		_, _, err := f.call(t, "Plain", "")
		st := status.Convert(err)
		if st.Code() != codes.Internal || st.Message() != "internal error" || len(st.Details()) != 0 {
			t.Fatalf("got %v %q %v, want Internal \"internal error\" without details", st.Code(), st.Message(), st.Details())
		}
		if !strings.Contains(f.logs.String(), "query failed: "+secret) {
			t.Fatalf("the cause was not logged; logs:\n%s", f.logs.String())
		}
	})
	t.Run("a panic is internal and the server serves on", func(t *testing.T) {
		_, _, err := f.call(t, "Panic", "")
		st := status.Convert(err)
		if st.Code() != codes.Internal || st.Message() != "internal error" {
			t.Fatalf("got %v %q, want Internal \"internal error\"", st.Code(), st.Message())
		}
		if !strings.Contains(f.logs.String(), "panic in handler") {
			t.Fatalf("the panic was not logged; logs:\n%s", f.logs.String())
		}
		if out, _, err := f.call(t, "Open", ""); err != nil || out.GetValue() != "in" {
			t.Fatalf("call after the panic: %v, %v", out, err)
		}
	})
	t.Run("a downstream status keeps its code unless internal", func(t *testing.T) {
		_, _, err := f.callWith(t, "Downstream", "unavailable", "")
		if st := status.Convert(err); st.Code() != codes.Unavailable || st.Message() != "hosts is unavailable" {
			t.Fatalf("got %v %q, want Unavailable \"hosts is unavailable\"", st.Code(), st.Message())
		}
		_, _, err = f.callWith(t, "Downstream", "internal", "")
		if st := status.Convert(err); st.Code() != codes.Internal || st.Message() != "internal error" {
			t.Fatalf("got %v %q, want Internal \"internal error\"", st.Code(), st.Message())
		}
	})
	t.Run("a database that went away is unavailable, to be retried", func(t *testing.T) {
		_, _, err := f.call(t, "DatabaseGone", "")
		if st := status.Convert(err); st.Code() != codes.Unavailable || strings.Contains(st.Message(), secret) {
			t.Fatalf("got %v %q, want Unavailable without the cause", st.Code(), st.Message())
		}
	})
	t.Run("nothing secret reaches the client", func(t *testing.T) {
		for _, m := range []string{"NotFound", "Plain", "Panic", "DatabaseGone"} {
			_, _, err := f.call(t, m, "")
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("%s leaked its cause: %v", m, err)
			}
		}
	})
}

func TestRequestID(t *testing.T) {
	t.Parallel()
	f := newFixture(t)

	_, header, err := f.call(t, "Open", "", "x-request-id", "req-abc")
	if err != nil {
		t.Fatal(err)
	}
	if got := header.Get("x-request-id"); len(got) != 1 || got[0] != "req-abc" {
		t.Fatalf("x-request-id header %q, want the caller's req-abc", got)
	}

	_, header, err = f.call(t, "Open", "")
	if err != nil {
		t.Fatal(err)
	}
	if got := header.Get("x-request-id"); len(got) != 1 || got[0] == "" {
		t.Fatalf("x-request-id header %q, want a generated id", got)
	}

	// An absurdly long id is replaced rather than echoed into every log line.
	long := strings.Repeat("x", 500)
	_, header, err = f.call(t, "Open", "", "x-request-id", long)
	if err != nil {
		t.Fatal(err)
	}
	if got := header.Get("x-request-id"); len(got) != 1 || got[0] == long || got[0] == "" {
		t.Fatalf("x-request-id header %q, want a generated id instead of the long one", got)
	}
}

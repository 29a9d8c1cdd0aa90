// Package grpcx builds the gRPC servers and clients of every service the same way: recovery,
// request id, logging, error mapping and authentication interceptors, and the health service.
package grpcx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"strings"
	"time"

	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc"
	"go.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc/filters"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"

	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/pg"
	"github.com/cohabit/cohabit/services/platform/tracing"
)

// Rule is the authorization rule of one RPC: who may call it at all. Record-level rules (own
// records, own programme) are the use case's job; this one stops everyone else early.
type Rule struct {
	// Public methods need no token (login, sign-up, health).
	Public bool
	// Roles that may call the method; ignored when Public.
	Roles []auth.Role
}

// Public is the rule of methods anyone may call.
var Public = Rule{Public: true}

// Roles is the rule of methods open to the given roles.
func Roles(roles ...auth.Role) Rule { return Rule{Roles: roles} }

// Policy maps full method names ("/cohabit.hosts.v1.HostService/GetHost") to their rule.
// A method missing from the policy is refused: the default is deny.
type Policy map[string]Rule

// Server bundles a gRPC server with its health service.
type Server struct {
	*grpc.Server
	Health *health.Server
}

// NewServer returns a server whose every call goes through the platform's interceptors.
// verifier may be nil only for a server whose policy is entirely public.
// opts come after the platform's own, so that a service may raise the message size.
func NewServer(log *slog.Logger, verifier *auth.Verifier, policy Policy, opts ...grpc.ServerOption) *Server {
	p := make(Policy, len(policy)+2)
	for k, v := range policy {
		p[k] = v
	}
	p["/grpc.health.v1.Health/Check"] = Public
	p["/grpc.health.v1.Health/Watch"] = Public
	p["/grpc.health.v1.Health/List"] = Public
	i := &interceptors{log: log, verifier: verifier, policy: p}
	s := grpc.NewServer(append([]grpc.ServerOption{
		grpc.ChainUnaryInterceptor(i.recover, i.requestID, i.logCall, i.mapErrors, i.authenticate, i.checkInput),
		grpc.ChainStreamInterceptor(i.streamAuthenticate),
		// A server span per call, the child of the caller's (trace context in metadata), so
		// that the handler's database work and the events it appends belong to its trace.
		grpc.StatsHandler(otelgrpc.NewServerHandler(traceOptions()...)),
		grpc.MaxRecvMsgSize(4 << 20),
		// Clients ping idle connections every KeepaliveTime (Dial); the default policy would
		// answer such pings with GOAWAY.
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: KeepaliveTime / 2, PermitWithoutStream: true}),
		// A connection lives at most a few minutes, so that clients resolving a service's
		// name again (dns:///) spread over replicas started since.
		grpc.KeepaliveParams(keepalive.ServerParameters{MaxConnectionAge: 5 * time.Minute, MaxConnectionAgeGrace: 30 * time.Second}),
	}, opts...)...)
	h := health.NewServer()
	healthpb.RegisterHealthServer(s, h)
	return &Server{Server: s, Health: h}
}

// Serve serves on addr until ctx is done, then stops gracefully (bounded by a grace period).
// ready, if not nil, receives the bound address once listening (useful with port 0).
func (s *Server) Serve(ctx context.Context, addr string, ready func(net.Addr)) error {
	lis, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen grpc %s: %w", addr, err)
	}
	if ready != nil {
		ready(lis.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- s.Server.Serve(lis) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve grpc: %w", err)
	case <-ctx.Done():
	}
	s.Health.Shutdown()
	stopped := make(chan struct{})
	go func() { s.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		s.Stop()
	}
	return nil
}

type interceptors struct {
	log      *slog.Logger
	verifier *auth.Verifier
	policy   Policy
}

func (i *interceptors) recover(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (resp any, err error) {
	defer func() {
		if r := recover(); r != nil {
			i.log.ErrorContext(ctx, "panic in handler", "method", info.FullMethod, "panic", r, "stack", string(debug.Stack()))
			err = status.Error(codes.Internal, "internal error")
		}
	}()
	return next(ctx, req)
}

type requestIDKey struct{}

// RequestID returns the id of the request being served, for logs and events.
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func (i *interceptors) requestID(ctx context.Context, req any, _ *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	id := first(ctx, "x-request-id")
	if id == "" || len(id) > 128 {
		var b [8]byte
		_, _ = rand.Read(b[:])
		id = hex.EncodeToString(b[:])
	}
	_ = grpc.SetHeader(ctx, metadata.Pairs("x-request-id", id))
	return next(context.WithValue(ctx, requestIDKey{}, id), req)
}

func (i *interceptors) logCall(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	start := time.Now()
	resp, err := next(ctx, req)
	code := status.Code(err)
	level := slog.LevelInfo
	if code == codes.Internal || code == codes.Unknown || code == codes.DataLoss {
		level = slog.LevelError
	}
	attrs := []any{"method", info.FullMethod, "code", code.String(), "duration", time.Since(start), "request_id", RequestID(ctx)}
	if p, ok := auth.FromContext(ctx); ok {
		attrs = append(attrs, "account", p.AccountID, "role", string(p.Role))
	}
	i.log.Log(ctx, level, "grpc call", attrs...)
	return resp, err
}

func (i *interceptors) mapErrors(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	resp, err := next(ctx, req)
	if err == nil {
		return resp, nil
	}
	return nil, i.toStatus(ctx, info.FullMethod, err)
}

// toStatus turns an error into what the client may see. Only *errs.Error messages travel;
// everything else is logged with its cause and answered "internal error".
func (i *interceptors) toStatus(ctx context.Context, method string, err error) error {
	if e, ok := errs.As(err); ok {
		if (e.Code == codes.Internal || e.Code == codes.Unknown) && pg.IsUnavailable(err) {
			i.log.WarnContext(ctx, "database unavailable", "method", method, "err", err, "request_id", RequestID(ctx))
			return status.Error(codes.Unavailable, "temporarily unavailable; try again")
		}
		if e.Code == codes.Internal || e.Code == codes.Unknown {
			i.log.ErrorContext(ctx, "internal error", "method", method, "err", err, "request_id", RequestID(ctx))
			return status.Error(codes.Internal, "internal error")
		}
		return StatusOf(e).Err()
	}
	switch {
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "request canceled")
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, "deadline exceeded")
	}
	// A status from a downstream call keeps its code unless it would leak internals.
	if s, ok := status.FromError(err); ok && s.Code() != codes.Unknown && s.Code() != codes.Internal {
		return s.Err()
	}
	// The database went away (a failover, a restart): the client may try again in a moment.
	if pg.IsUnavailable(err) {
		i.log.WarnContext(ctx, "database unavailable", "method", method, "err", err, "request_id", RequestID(ctx))
		return status.Error(codes.Unavailable, "temporarily unavailable; try again")
	}
	i.log.ErrorContext(ctx, "internal error", "method", method, "err", err, "request_id", RequestID(ctx))
	return status.Error(codes.Internal, "internal error")
}

// StatusOf returns the gRPC status of e with ErrorInfo and, for bad input, BadRequest details.
func StatusOf(e *errs.Error) *status.Status {
	s := status.New(e.Code, e.Message)
	details := []protoadapt.MessageV1{&errdetails.ErrorInfo{Reason: e.Reason, Domain: "cohabit"}}
	if len(e.Violations) > 0 {
		br := &errdetails.BadRequest{}
		for _, v := range e.Violations {
			br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: v.Field, Description: v.Description})
		}
		details = append(details, br)
	}
	if d, err := s.WithDetails(details...); err == nil {
		return d
	}
	return s
}

func (i *interceptors) authenticate(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	ctx, err := i.check(ctx, info.FullMethod)
	if err != nil {
		return nil, err
	}
	return next(ctx, req)
}

func (i *interceptors) streamAuthenticate(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, next grpc.StreamHandler) error {
	if _, err := i.check(ss.Context(), info.FullMethod); err != nil {
		if e, ok := errs.As(err); ok {
			return StatusOf(e).Err()
		}
		return status.Error(codes.Internal, "internal error")
	}
	return next(srv, ss)
}

var errNoToken = errs.Unauthenticated("UNAUTHENTICATED", "sign in first: this call needs a bearer token")

// check applies the method's rule and returns a context carrying the principal, if any.
func (i *interceptors) check(ctx context.Context, method string) (context.Context, error) {
	rule, ok := i.policy[method]
	if !ok {
		i.log.WarnContext(ctx, "method has no authorization rule: denied", "method", method)
		return ctx, errs.PermissionDenied("NO_RULE", "this call is not allowed")
	}
	token := bearer(ctx)
	if token != "" && i.verifier != nil {
		p, err := i.verifier.Verify(token)
		if err != nil {
			// A stale token must not stop its holder from signing in again.
			if rule.Public {
				return ctx, nil
			}
			return ctx, errs.Unauthenticated("BAD_TOKEN", "the token is invalid or has expired: sign in again").WithCause(err)
		}
		ctx = auth.WithPrincipal(ctx, p)
		if rule.Public {
			return ctx, nil
		}
		for _, r := range rule.Roles {
			if p.Role == r {
				return ctx, nil
			}
		}
		return ctx, errs.PermissionDenied("ROLE_NOT_ALLOWED", "your role may not do this")
	}
	if rule.Public {
		return ctx, nil
	}
	return ctx, errNoToken
}

func bearer(ctx context.Context) string {
	v := first(ctx, "authorization")
	if len(v) > 7 && strings.EqualFold(v[:7], "bearer ") {
		return strings.TrimSpace(v[7:])
	}
	return ""
}

func first(ctx context.Context, key string) string {
	md, ok := metadata.FromIncomingContext(ctx)
	if !ok {
		return ""
	}
	if v := md.Get(key); len(v) > 0 {
		return v[0]
	}
	return ""
}

// traceOptions are the tracing options of clients and servers: W3C trace context whatever
// the global propagator, and no spans for health checks (probes and the balancer's watches
// would drown the traces that matter).
func traceOptions() []otelgrpc.Option {
	return []otelgrpc.Option{
		otelgrpc.WithPropagators(tracing.Propagator),
		otelgrpc.WithFilter(filters.Not(filters.HealthCheck())),
	}
}

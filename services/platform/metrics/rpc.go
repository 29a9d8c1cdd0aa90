package metrics

import (
	"context"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"google.golang.org/grpc/stats"
	"google.golang.org/grpc/status"
)

// rpcBuckets span a cached read (a millisecond) to a contract's PDF or a figures call over
// years (seconds).
var rpcBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// RPC is a gRPC stats handler (grpc.StatsHandler) that times every RPC a server handles, by
// method and status code: grpc_server_handling_seconds{grpc_service, grpc_method,
// grpc_code}, whose _count is the number of calls. A stats handler rather than an
// interceptor: it sees the code the client gets, after every interceptor (authentication,
// error mapping) had its say, whatever order they are chained in.
type RPC struct {
	seconds *prometheus.HistogramVec
}

// NewRPC registers the RPC metrics on reg.
func NewRPC(reg prometheus.Registerer) (*RPC, error) {
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "grpc_server_handling_seconds",
		Help:    "Time to handle a gRPC call on the server, by method and status code.",
		Buckets: rpcBuckets,
	}, []string{"grpc_service", "grpc_method", "grpc_code"})
	if err := reg.Register(h); err != nil {
		return nil, err
	}
	return &RPC{seconds: h}, nil
}

type methodKey struct{}

// TagRPC remembers the call's method for HandleRPC.
func (r *RPC) TagRPC(ctx context.Context, info *stats.RPCTagInfo) context.Context {
	return context.WithValue(ctx, methodKey{}, info.FullMethodName)
}

// HandleRPC records a server call when it ends.
func (r *RPC) HandleRPC(ctx context.Context, s stats.RPCStats) {
	end, ok := s.(*stats.End)
	if !ok || end.IsClient() {
		return
	}
	full, _ := ctx.Value(methodKey{}).(string)
	svc, method := splitMethod(full)
	r.seconds.WithLabelValues(svc, method, status.Code(end.Error).String()).Observe(end.EndTime.Sub(end.BeginTime).Seconds())
}

// TagConn and HandleConn: connections are not measured.
func (r *RPC) TagConn(ctx context.Context, _ *stats.ConnTagInfo) context.Context { return ctx }

// HandleConn does nothing (see TagConn).
func (r *RPC) HandleConn(context.Context, stats.ConnStats) {}

// splitMethod splits "/cohabit.hosts.v1.HostService/GetHost" into its service and method.
func splitMethod(full string) (string, string) {
	svc, method, ok := strings.Cut(strings.TrimPrefix(full, "/"), "/")
	if !ok {
		return "unknown", "unknown"
	}
	return svc, method
}

package boot

import (
	"context"

	"github.com/cohabit/cohabit/services/platform/grpcx"
)

type policiesKey struct{}

// WithPolicies returns a context under which every service that Run starts hands its name
// and its Policy to see before serving. The platform's authorization matrix test
// (services/stack/journey) boots every service under it, so that its rows come from the
// policy tables themselves: a service, or an RPC, added later is in the matrix without an
// edit of the test. It is a context value, not a Config field, so that no service has to
// pass it along.
func WithPolicies(ctx context.Context, see func(service string, p grpcx.Policy)) context.Context {
	return context.WithValue(ctx, policiesKey{}, see)
}

func announcePolicy(ctx context.Context, name string, p grpcx.Policy) {
	if see, ok := ctx.Value(policiesKey{}).(func(string, grpcx.Policy)); ok && see != nil {
		copied := make(grpcx.Policy, len(p))
		for k, v := range p {
			copied[k] = v
		}
		see(name, copied)
	}
}

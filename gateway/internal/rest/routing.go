package rest

import (
	"context"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
)

// routingError answers a method the path does not serve (PATCH on a list, DELETE on the
// audit trail) with 405 Method Not Allowed, where grpc-gateway's default says 501 Not
// Implemented — a server error for what is the client's; other routing errors keep the
// default (404 for an unknown path).
func routingError(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, status int) {
	if status != http.StatusMethodNotAllowed {
		runtime.DefaultRoutingErrorHandler(ctx, mux, m, w, r, status)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusMethodNotAllowed)
	_, _ = w.Write([]byte(`{"code":12,"message":"method not allowed","details":[]}`))
}

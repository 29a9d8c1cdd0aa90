// Package rest builds the grpc-gateway mux that turns REST/JSON into gRPC calls: how JSON is
// read and written, which headers travel as metadata, and how errors look.
package rest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	// Registers google.rpc.BadRequest and ErrorInfo, which services put in status details:
	// protojson cannot write an Any whose type is unknown, and the error would turn into a 500.
	_ "google.golang.org/genproto/googleapis/rpc/errdetails"

	"github.com/cohabit/cohabit/gateway/internal/middleware"
	"github.com/cohabit/cohabit/gateway/internal/observe"
)

// NewMux returns an empty gateway mux; backends register their handlers on it.
// maxBodyBytes only words the error of an oversized body (middleware.LimitBody enforces it);
// log receives the causes of failures whose message clients do not see.
func NewMux(maxBodyBytes int64, log *slog.Logger) *runtime.ServeMux {
	return runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, fieldJSON{&runtime.JSONPb{
			MarshalOptions: protojson.MarshalOptions{
				// lowerCamelCase JSON names (SPEC §3), and every field present so that clients
				// need not know proto3 defaults.
				UseProtoNames:   false,
				EmitUnpopulated: true,
			},
			UnmarshalOptions: protojson.UnmarshalOptions{
				// A misspelt field is a 400, not silently ignored data.
				DiscardUnknown: false,
			},
		}}),
		runtime.WithIncomingHeaderMatcher(incomingHeader),
		runtime.WithErrorHandler(errorHandler(maxBodyBytes, log)),
		runtime.WithRoutingErrorHandler(routingError),
		runtime.WithMiddlewares(labelRoute, checkUTF8),
	)
}

// incomingHeader forwards X-Request-Id under the key grpcx reads, and otherwise keeps the
// default (permanent HTTP headers as grpcgateway-*). Authorization is dropped here because
// grpc-gateway already forwards it as "authorization": a second copy under another key would
// only be one more place for a bearer token to leak into.
func incomingHeader(key string) (string, bool) {
	switch strings.ToLower(key) {
	case "x-request-id":
		return "x-request-id", true
	case "authorization":
		return "", false
	}
	return runtime.DefaultHeaderMatcher(key)
}

// errorHandler keeps grpc-gateway's google.rpc.Status body and code mapping, with three
// changes: a read past the body limit (which grpc-gateway reports as an InvalidArgument like
// any bad JSON) becomes 413 Payload Too Large; failures raised by the gRPC client itself get
// a generic message; and 401 carries a proper Bearer challenge.
func errorHandler(maxBodyBytes int64, log *slog.Logger) runtime.ErrorHandlerFunc {
	return func(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
		if middleware.BodyTooLarge(r.Context()) {
			err = &runtime.HTTPStatusError{
				HTTPStatus: http.StatusRequestEntityTooLarge,
				Err:        status.Error(codes.InvalidArgument, fmt.Sprintf("request body is larger than %d bytes", maxBodyBytes)),
			}
		} else if s, ok := status.FromError(err); ok {
			if named := nameField(s); named != s {
				err = named.Err()
			} else if safe := redact(s); safe != s {
				log.WarnContext(ctx, "backend call failed", "code", s.Code().String(), "err", s.Message(),
					"rpc", rpcMethod(ctx), "request_id", r.Header.Get(middleware.RequestIDHeader))
				err = safe.Err()
			}
		}
		if status.Code(err) == codes.Unauthenticated {
			w = challenge{w}
		}
		runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, err)
	}
}

// redact replaces the message of a status that no service wrote. Services answer with
// errs-built statuses, which always carry details (ErrorInfo), or with a bare "internal
// error"; a bare status of these codes comes from the gRPC client in the gateway
// ("transport: Error while dialing: dial tcp 10.0.3.7:9102: …") and would tell clients the
// inside of the network.
func redact(s *status.Status) *status.Status {
	if len(s.Details()) > 0 {
		return s
	}
	var msg string
	switch s.Code() {
	case codes.Unavailable:
		msg = "the service is unavailable: try again later"
	case codes.DeadlineExceeded:
		msg = "deadline exceeded"
	case codes.Canceled:
		msg = "request canceled"
	case codes.Unknown, codes.Internal, codes.DataLoss:
		msg = "internal error"
	case codes.ResourceExhausted:
		msg = "resource exhausted"
	default:
		return s
	}
	if s.Message() == msg {
		return s
	}
	return status.New(s.Code(), msg)
}

// challenge answers a 401 with the challenge RFC 6750 asks for, where grpc-gateway would put
// the status message in WWW-Authenticate.
type challenge struct{ http.ResponseWriter }

func (c challenge) WriteHeader(code int) {
	if code == http.StatusUnauthorized {
		c.Header().Set("WWW-Authenticate", `Bearer realm="cohabit"`)
	}
	c.ResponseWriter.WriteHeader(code)
}

// labelRoute names the request's route for metrics by its HTTP template
// ("/v1/hosts/{id}"), never by its path, which holds ids.
func labelRoute(next runtime.HandlerFunc) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		if p, ok := runtime.HTTPPattern(r.Context()); ok {
			observe.SetRoute(r.Context(), template(p.String()))
		}
		next(w, r, params)
	}
}

// template turns a compiled pattern's string ("/v1/hosts/{id=*}") back into the template as
// written in http.yaml ("/v1/hosts/{id}").
func template(pattern string) string {
	return strings.ReplaceAll(pattern, "=*}", "}")
}

func rpcMethod(ctx context.Context) string {
	m, _ := runtime.RPCMethod(ctx)
	return m
}

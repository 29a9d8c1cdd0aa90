package rest

import (
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func TestRedact(t *testing.T) {
	t.Parallel()
	withDetails, err := status.New(codes.Unavailable, "identity is starting").WithDetails(&errdetails.ErrorInfo{Reason: "STARTING"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		in   *status.Status
		want string
	}{
		{"transport failure", status.New(codes.Unavailable, "connection error: dial tcp 10.0.0.1:9102"), "the service is unavailable: try again later"},
		{"service status kept", withDetails, "identity is starting"},
		{"bad json kept", status.New(codes.InvalidArgument, "proto: syntax error"), "proto: syntax error"},
		{"client internal", status.New(codes.Internal, "grpc: error unmarshalling response"), "internal error"},
		{"deadline", status.New(codes.DeadlineExceeded, "context deadline exceeded"), "deadline exceeded"},
	}
	for _, c := range cases {
		got := redact(c.in)
		if got.Message() != c.want || got.Code() != c.in.Code() {
			t.Errorf("%s: redact = %v %q, want %v %q", c.name, got.Code(), got.Message(), c.in.Code(), c.want)
		}
	}
}

func TestTemplate(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"/v1/hosts":                  "/v1/hosts",
		"/v1/hosts/{id=*}":           "/v1/hosts/{id}",
		"/v1/hosts/{host.id=*}":      "/v1/hosts/{host.id}",
		"/v1/hosts/{id=*}:verify":    "/v1/hosts/{id}:verify",
		"/v1/hosts/{hostId=*}/rooms": "/v1/hosts/{hostId}/rooms",
	}
	for in, want := range cases {
		if got := template(in); got != want {
			t.Errorf("template(%q) = %q, want %q", in, got, want)
		}
	}
}

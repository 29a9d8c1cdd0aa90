package service

import (
	"context"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	"github.com/cohabit/cohabit/gateway/internal/rest"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	matchingv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/matching/v1"
	notificationsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/notifications/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// backend is one gRPC service behind the gateway: the key of its address in
// Config.Backends (also its name on /readyz), where LoadConfig reads that address, and how
// its REST routes are registered.
type backend struct {
	name        string
	env         string
	defaultAddr string
	register    registerFunc
	// optional: a Config.Backends without this backend's address serves the others (a
	// process embedding the gateway that does not run it yet, like the journey tests before
	// notifications); LoadConfig always gives it its default address.
	optional bool
}

// registerFunc installs a service's generated REST handlers on mux, calling through cc.
type registerFunc func(ctx context.Context, mux *runtime.ServeMux, cc grpc.ClientConnInterface) error

// via adapts a generated New…Client and Register…HandlerClient pair to a registerFunc, so
// that each backend fits on one line of the table.
func via[C any](newClient func(grpc.ClientConnInterface) C, register func(context.Context, *runtime.ServeMux, C) error) registerFunc {
	return func(ctx context.Context, mux *runtime.ServeMux, cc grpc.ClientConnInterface) error {
		return register(ctx, mux, newClient(cc))
	}
}

// backends is the table of services the gateway serves. Adding a service is one line here,
// once its *.pb.gw.go exists under proto/gen/go.
func backends() []backend {
	return []backend{
		{"identity", "COHABIT_IDENTITY_GRPC_ADDR", "localhost:9101", all(via(identityv1.NewIdentityServiceClient, identityv1.RegisterIdentityServiceHandlerClient),
			via(identityv1.NewAuditServiceClient, identityv1.RegisterAuditServiceHandlerClient)), false},
		{"hosts", "COHABIT_HOSTS_GRPC_ADDR", "localhost:9102", via(hostsv1.NewHostServiceClient, hostsv1.RegisterHostServiceHandlerClient), false},
		{"students", "COHABIT_STUDENTS_GRPC_ADDR", "localhost:9103", via(studentsv1.NewStudentServiceClient, studentsv1.RegisterStudentServiceHandlerClient), false},
		{"matching", "COHABIT_MATCHING_GRPC_ADDR", "localhost:9104", via(matchingv1.NewMatchingServiceClient, matchingv1.RegisterMatchingServiceHandlerClient), false},
		{"contracts", "COHABIT_CONTRACTS_GRPC_ADDR", "localhost:9105", rest.Contracts, false},
		{"notifications", "COHABIT_NOTIFICATIONS_GRPC_ADDR", "localhost:9106", via(notificationsv1.NewNotificationServiceClient, notificationsv1.RegisterNotificationServiceHandlerClient), true},
		{"desk", "COHABIT_DESK_GRPC_ADDR", "localhost:9107", rest.Desk, true},
		{"figures", "COHABIT_FIGURES_GRPC_ADDR", "localhost:9108", rest.Figures, true},
	}
}

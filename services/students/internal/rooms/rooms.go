// Package rooms reads which programme a room belongs to from the hosts service, with the
// students service's own identity (a service token; GetRoom is a read), when an application
// targets a room: the reference is checked where the application is made, against the
// service that owns rooms, rather than against a copy that may lag a room just published.
package rooms

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
)

// GRPC reads rooms from the hosts service.
type GRPC struct {
	hosts hostsv1.HostServiceClient
}

// New returns a reader over a connection to the hosts service, as the students service
// (boot.Deps.Connect).
func New(hosts grpc.ClientConnInterface) *GRPC {
	return &GRPC{hosts: hostsv1.NewHostServiceClient(hosts)}
}

// Programme returns the programme of room id, or "" when the hosts service knows no such
// room. Errors: the call's (the hosts service unreachable: the caller may try again).
func (g *GRPC) Programme(ctx context.Context, id string) (string, error) {
	r, err := g.hosts.GetRoom(ctx, &hostsv1.GetRoomRequest{Id: id})
	if status.Code(err) == codes.NotFound {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read room %s: %w", id, err)
	}
	return r.GetProgrammeId(), nil
}

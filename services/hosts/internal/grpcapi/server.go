package grpcapi

import (
	"context"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	"github.com/cohabit/cohabit/services/hosts/internal/app"
	"github.com/cohabit/cohabit/services/hosts/internal/room"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/date"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/page"
)

const svc = "/cohabit.hosts.v1.HostService/"

// Policy is who may call each method at all; the use cases then check the record (own host,
// own programme). Students never reach hosts; they read published rooms.
var Policy = grpcx.Policy{
	svc + "CreateHost":    grpcx.Roles(auth.RoleHost, auth.RoleCoordinator),
	svc + "GetHost":       grpcx.Roles(auth.RoleHost, auth.RoleCoordinator, auth.RoleService),
	svc + "ListHosts":     grpcx.Roles(auth.RoleHost, auth.RoleCoordinator),
	svc + "UpdateHost":    grpcx.Roles(auth.RoleHost, auth.RoleCoordinator),
	svc + "VerifyHost":    grpcx.Roles(auth.RoleCoordinator),
	svc + "SuspendHost":   grpcx.Roles(auth.RoleCoordinator),
	svc + "ReinstateHost": grpcx.Roles(auth.RoleCoordinator),
	svc + "ArchiveHost":   grpcx.Roles(auth.RoleCoordinator),
	svc + "EraseHost":     grpcx.Roles(auth.RoleCoordinator),
	// A coordinator records the withdrawal the host expressed (by phone, on paper).
	svc + "WithdrawHostConsent": grpcx.Roles(auth.RoleCoordinator),
	svc + "CreateRoom":          grpcx.Roles(auth.RoleHost, auth.RoleCoordinator),
	svc + "GetRoom":             grpcx.Roles(auth.RoleHost, auth.RoleCoordinator, auth.RoleStudent, auth.RoleService),
	svc + "ListRooms":           grpcx.Roles(auth.RoleHost, auth.RoleCoordinator, auth.RoleStudent),
	svc + "UpdateRoom":          grpcx.Roles(auth.RoleHost, auth.RoleCoordinator),
	svc + "PublishRoom":         grpcx.Roles(auth.RoleHost, auth.RoleCoordinator),
	svc + "WithdrawRoom":        grpcx.Roles(auth.RoleHost, auth.RoleCoordinator),
}

// Server implements hostsv1.HostServiceServer.
type Server struct {
	hostsv1.UnimplementedHostServiceServer
	app *app.App
}

// New returns the gRPC handlers over the use cases.
func New(a *app.App) *Server { return &Server{app: a} }

func required(v *errs.Violations, field, value string) {
	v.Check(value != "", field, "is required")
}

// CreateHost registers a host.
func (s *Server) CreateHost(ctx context.Context, in *hostsv1.CreateHostRequest) (*hostsv1.Host, error) {
	var v errs.Violations
	if in.GetHost() == nil {
		v.Add("host", "is required")
		return nil, v.Err()
	}
	p := profileFromProto(in.GetHost(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	h, err := s.app.RegisterHost(ctx, app.RegisterHost{
		Profile: p, Assisted: in.GetHost().GetAssisted(), ConsentRecorded: in.GetHost().GetConsentRecorded(), RequestID: in.GetRequestId(),
		ConsentNoticeVersion: in.GetHost().GetConsentNoticeVersion(),
	})
	if err != nil {
		return nil, err
	}
	return hostToProto(h), nil
}

// GetHost returns one host.
func (s *Server) GetHost(ctx context.Context, in *hostsv1.GetHostRequest) (*hostsv1.Host, error) {
	h, err := s.app.GetHost(ctx, in.GetId())
	if err != nil {
		return nil, err
	}
	return hostToProto(h), nil
}

// ListHosts returns one page of hosts.
func (s *Server) ListHosts(ctx context.Context, in *hostsv1.ListHostsRequest) (*hostsv1.ListHostsResponse, error) {
	hosts, next, err := s.app.ListHosts(ctx, hostStatusFromProto(in.GetStatus()), in.GetQuery(), page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &hostsv1.ListHostsResponse{NextPageToken: next, Hosts: make([]*hostsv1.Host, 0, len(hosts))}
	for _, h := range hosts {
		out.Hosts = append(out.Hosts, hostToProto(h))
	}
	return out, nil
}

// UpdateHost changes the masked fields of a host.
func (s *Server) UpdateHost(ctx context.Context, in *hostsv1.UpdateHostRequest) (*hostsv1.Host, error) {
	change, err := hostChange(in)
	if err != nil {
		return nil, err
	}
	h, err := s.app.UpdateHost(ctx, in.GetHost().GetId(), in.GetHost().GetEtag(), change)
	if err != nil {
		return nil, err
	}
	return hostToProto(h), nil
}

// VerifyHost verifies a host.
func (s *Server) VerifyHost(ctx context.Context, in *hostsv1.VerifyHostRequest) (*hostsv1.Host, error) {
	h, err := s.app.VerifyHost(ctx, in.GetId(), in.GetEtag())
	if err != nil {
		return nil, err
	}
	return hostToProto(h), nil
}

// SuspendHost suspends a host.
func (s *Server) SuspendHost(ctx context.Context, in *hostsv1.SuspendHostRequest) (*hostsv1.Host, error) {
	h, err := s.app.SuspendHost(ctx, in.GetId(), in.GetEtag(), in.GetReason())
	if err != nil {
		return nil, err
	}
	return hostToProto(h), nil
}

// ReinstateHost reinstates a suspended host.
func (s *Server) ReinstateHost(ctx context.Context, in *hostsv1.ReinstateHostRequest) (*hostsv1.Host, error) {
	h, err := s.app.ReinstateHost(ctx, in.GetId(), in.GetEtag())
	if err != nil {
		return nil, err
	}
	return hostToProto(h), nil
}

// ArchiveHost archives a host.
func (s *Server) ArchiveHost(ctx context.Context, in *hostsv1.ArchiveHostRequest) (*hostsv1.Host, error) {
	h, err := s.app.ArchiveHost(ctx, in.GetId(), in.GetEtag())
	if err != nil {
		return nil, err
	}
	return hostToProto(h), nil
}

// CreateRoom adds a room to a host.
func (s *Server) CreateRoom(ctx context.Context, in *hostsv1.CreateRoomRequest) (*hostsv1.Room, error) {
	var v errs.Violations
	required(&v, "hostId", in.GetHostId())
	if in.GetRoom() == nil {
		v.Add("room", "is required")
		return nil, v.Err()
	}
	d := detailsFromProto(in.GetRoom(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	r, err := s.app.CreateRoom(ctx, in.GetHostId(), d, in.GetRequestId())
	if err != nil {
		return nil, err
	}
	return roomToProto(r), nil
}

// GetRoom returns one room.
func (s *Server) GetRoom(ctx context.Context, in *hostsv1.GetRoomRequest) (*hostsv1.Room, error) {
	r, err := s.app.GetRoom(ctx, in.GetId())
	if err != nil {
		return nil, err
	}
	return roomToProto(r), nil
}

// ListRooms returns one page of rooms.
func (s *Server) ListRooms(ctx context.Context, in *hostsv1.ListRoomsRequest) (*hostsv1.ListRoomsResponse, error) {
	var v errs.Violations
	availableBy := date.Field(&v, "availableFrom", in.GetAvailableFrom())
	if err := v.Err(); err != nil {
		return nil, err
	}
	rooms, next, err := s.app.ListRooms(ctx, app.RoomQuery{
		Status:               roomStatusFromProto(in.GetStatus()),
		City:                 in.GetCity(),
		MaxContributionCents: int(in.GetMaxContributionCents()),
		AvailableBy:          availableBy.String(),
		HostID:               in.GetHostId(),
		Page:                 page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()},
	})
	if err != nil {
		return nil, err
	}
	out := &hostsv1.ListRoomsResponse{NextPageToken: next, Rooms: make([]*hostsv1.Room, 0, len(rooms))}
	for _, r := range rooms {
		out.Rooms = append(out.Rooms, roomToProto(r))
	}
	return out, nil
}

// UpdateRoom changes the masked fields of a room.
func (s *Server) UpdateRoom(ctx context.Context, in *hostsv1.UpdateRoomRequest) (*hostsv1.Room, error) {
	change, err := roomChange(in)
	if err != nil {
		return nil, err
	}
	r, err := s.app.UpdateRoom(ctx, in.GetRoom().GetId(), in.GetRoom().GetEtag(), change)
	if err != nil {
		return nil, err
	}
	return roomToProto(r), nil
}

// PublishRoom publishes a room.
func (s *Server) PublishRoom(ctx context.Context, in *hostsv1.PublishRoomRequest) (*hostsv1.Room, error) {
	return s.roomCall(s.app.PublishRoom(ctx, in.GetId(), in.GetEtag()))
}

// WithdrawRoom withdraws a room.
func (s *Server) WithdrawRoom(ctx context.Context, in *hostsv1.WithdrawRoomRequest) (*hostsv1.Room, error) {
	return s.roomCall(s.app.WithdrawRoom(ctx, in.GetId(), in.GetEtag()))
}

func (s *Server) roomCall(r *room.Room, err error) (*hostsv1.Room, error) {
	if err != nil {
		return nil, err
	}
	return roomToProto(r), nil
}

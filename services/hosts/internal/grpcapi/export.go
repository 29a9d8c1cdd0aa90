package grpcapi

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/services/platform/export"
)

// Export is the hosts service's part of a person's export: a host's record and rooms, as the
// API shows them. Hosts holds nothing about a student.
func (s *Server) Export(ctx context.Context, p export.Person) (export.Part, error) {
	if p.Kind != export.Host {
		return export.Part{}, nil
	}
	h, rooms, err := s.app.ExportHost(ctx, p.ID)
	if err != nil {
		return export.Part{}, err
	}
	rs := make([]proto.Message, 0, len(rooms))
	for _, r := range rooms {
		rs = append(rs, roomToProto(r))
	}
	return export.Part{Fields: map[string]any{"host": hostToProto(h), "rooms": rs}}, nil
}

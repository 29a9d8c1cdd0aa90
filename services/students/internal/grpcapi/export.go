package grpcapi

import (
	"context"

	"google.golang.org/protobuf/proto"

	"github.com/cohabit/cohabit/services/platform/export"
)

// Export is the students service's part of a person's export: a student's record and
// applications, as the API shows them. Students holds nothing about a host.
func (s *Server) Export(ctx context.Context, p export.Person) (export.Part, error) {
	if p.Kind != export.Student {
		return export.Part{}, nil
	}
	st, apps, err := s.app.ExportStudent(ctx, p.ID)
	if err != nil {
		return export.Part{}, err
	}
	as := make([]proto.Message, 0, len(apps))
	for _, a := range apps {
		as = append(as, applicationToProto(a))
	}
	return export.Part{Fields: map[string]any{"student": studentToProto(st), "applications": as}}, nil
}

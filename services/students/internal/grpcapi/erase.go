package grpcapi

import (
	"context"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
)

// EraseStudent erases a student (SPEC §9).
func (s *Server) EraseStudent(ctx context.Context, in *studentsv1.EraseStudentRequest) (*studentsv1.EraseStudentResponse, error) {
	if err := s.app.EraseStudent(ctx, in.GetId()); err != nil {
		return nil, err
	}
	return &studentsv1.EraseStudentResponse{}, nil
}

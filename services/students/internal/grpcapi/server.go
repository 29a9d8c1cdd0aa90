package grpcapi

import (
	"context"

	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/page"
	"github.com/cohabit/cohabit/services/students/internal/app"
	"github.com/cohabit/cohabit/services/students/internal/application"
	"github.com/cohabit/cohabit/services/students/internal/student"
)

const svc = "/cohabit.students.v1.StudentService/"

// Policy is who may call each method at all; the use cases then check the record (own
// student, own programme). Hosts never reach students: what they learn of one comes with a
// match. A student cannot verify or archive themselves.
var Policy = grpcx.Policy{
	svc + "CreateStudent":       grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
	svc + "GetStudent":          grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator, auth.RoleService),
	svc + "ListStudents":        grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
	svc + "UpdateStudent":       grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
	svc + "VerifyStudent":       grpcx.Roles(auth.RoleCoordinator),
	svc + "ArchiveStudent":      grpcx.Roles(auth.RoleCoordinator),
	svc + "EraseStudent":        grpcx.Roles(auth.RoleCoordinator),
	svc + "CreateApplication":   grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
	svc + "ListApplications":    grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
	svc + "GetApplication":      grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
	svc + "WithdrawApplication": grpcx.Roles(auth.RoleStudent, auth.RoleCoordinator),
}

// Server implements studentsv1.StudentServiceServer.
type Server struct {
	studentsv1.UnimplementedStudentServiceServer
	app *app.App
}

// New returns the gRPC handlers over the use cases.
func New(a *app.App) *Server { return &Server{app: a} }

// CreateStudent registers a student.
func (s *Server) CreateStudent(ctx context.Context, in *studentsv1.CreateStudentRequest) (*studentsv1.Student, error) {
	var v errs.Violations
	if in.GetStudent() == nil {
		v.Add("student", "is required")
		return nil, v.Err()
	}
	p := profileFromProto(in.GetStudent(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return studentCall(s.app.RegisterStudent(ctx, p, in.GetRequestId()))
}

// GetStudent returns one student.
func (s *Server) GetStudent(ctx context.Context, in *studentsv1.GetStudentRequest) (*studentsv1.Student, error) {
	return studentCall(s.app.GetStudent(ctx, in.GetId()))
}

// ListStudents returns one page of students.
func (s *Server) ListStudents(ctx context.Context, in *studentsv1.ListStudentsRequest) (*studentsv1.ListStudentsResponse, error) {
	students, next, err := s.app.ListStudents(ctx, studentStatusFromProto(in.GetStatus()), in.GetQuery(), page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &studentsv1.ListStudentsResponse{NextPageToken: next, Students: make([]*studentsv1.Student, 0, len(students))}
	for _, st := range students {
		out.Students = append(out.Students, studentToProto(st))
	}
	return out, nil
}

// UpdateStudent changes the masked fields of a student.
func (s *Server) UpdateStudent(ctx context.Context, in *studentsv1.UpdateStudentRequest) (*studentsv1.Student, error) {
	change, err := studentChange(in)
	if err != nil {
		return nil, err
	}
	return studentCall(s.app.UpdateStudent(ctx, in.GetStudent().GetId(), in.GetStudent().GetEtag(), change))
}

// VerifyStudent verifies a student.
func (s *Server) VerifyStudent(ctx context.Context, in *studentsv1.VerifyStudentRequest) (*studentsv1.Student, error) {
	return studentCall(s.app.VerifyStudent(ctx, in.GetId(), in.GetEtag()))
}

// ArchiveStudent archives a student.
func (s *Server) ArchiveStudent(ctx context.Context, in *studentsv1.ArchiveStudentRequest) (*studentsv1.Student, error) {
	return studentCall(s.app.ArchiveStudent(ctx, in.GetId(), in.GetEtag()))
}

// CreateApplication submits an application.
func (s *Server) CreateApplication(ctx context.Context, in *studentsv1.CreateApplicationRequest) (*studentsv1.Application, error) {
	var v errs.Violations
	v.Check(in.GetStudentId() != "", "studentId", "is required")
	if in.GetApplication() == nil {
		v.Add("application", "is required")
		return nil, v.Err()
	}
	p := preferencesFromProto(in.GetApplication(), &v)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return applicationCall(s.app.SubmitApplication(ctx, in.GetStudentId(), p, in.GetRequestId()))
}

// ListApplications returns one page of a student's applications.
func (s *Server) ListApplications(ctx context.Context, in *studentsv1.ListApplicationsRequest) (*studentsv1.ListApplicationsResponse, error) {
	var v errs.Violations
	v.Check(in.GetStudentId() != "", "studentId", "is required")
	if err := v.Err(); err != nil {
		return nil, err
	}
	apps, next, err := s.app.ListApplications(ctx, in.GetStudentId(), page.Request{Size: int(in.GetPageSize()), Token: in.GetPageToken()})
	if err != nil {
		return nil, err
	}
	out := &studentsv1.ListApplicationsResponse{NextPageToken: next, Applications: make([]*studentsv1.Application, 0, len(apps))}
	for _, a := range apps {
		out.Applications = append(out.Applications, applicationToProto(a))
	}
	return out, nil
}

// GetApplication returns one application.
func (s *Server) GetApplication(ctx context.Context, in *studentsv1.GetApplicationRequest) (*studentsv1.Application, error) {
	return applicationCall(s.app.GetApplication(ctx, in.GetId()))
}

// WithdrawApplication withdraws an application.
func (s *Server) WithdrawApplication(ctx context.Context, in *studentsv1.WithdrawApplicationRequest) (*studentsv1.Application, error) {
	return applicationCall(s.app.WithdrawApplication(ctx, in.GetId(), in.GetEtag()))
}

func studentCall(st *student.Student, err error) (*studentsv1.Student, error) {
	if err != nil {
		return nil, err
	}
	return studentToProto(st), nil
}

func applicationCall(a *application.Application, err error) (*studentsv1.Application, error) {
	if err != nil {
		return nil, err
	}
	return applicationToProto(a), nil
}

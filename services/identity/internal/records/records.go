// Package records reads a host or student record from its own service, as a service account
// (SPEC §1: services call each other only to read). Identity keeps a copy of the records fed
// by their registered events; this fills a gap in that copy — a record registered before
// identity kept copies, or one whose event is still on its way when its coordinator invites.
package records

import (
	"context"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/invitation"
)

// Reader reads records from the hosts and students services.
type Reader struct {
	hosts    hostsv1.HostServiceClient
	students studentsv1.StudentServiceClient
}

// New returns a reader over connections that call as a service account.
func New(hosts, students grpc.ClientConnInterface) *Reader {
	return &Reader{hosts: hostsv1.NewHostServiceClient(hosts), students: studentsv1.NewStudentServiceClient(students)}
}

// Record returns the record of kind and id: its programme and owner, nothing personal.
// Errors: invitation.ErrRecordNotFound when its service does not know it; the call's error.
func (r *Reader) Record(ctx context.Context, kind account.RecordKind, id string) (invitation.Record, error) {
	var (
		programmeID, owner string
		err                error
	)
	switch kind {
	case account.RecordHost:
		var h *hostsv1.Host
		h, err = r.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
		programmeID, owner = h.GetProgrammeId(), h.GetOwnerAccountId()
	case account.RecordStudent:
		var s *studentsv1.Student
		s, err = r.students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
		programmeID, owner = s.GetProgrammeId(), s.GetOwnerAccountId()
	default:
		return invitation.Record{}, invitation.ErrRecordNotFound
	}
	switch status.Code(err) {
	case codes.OK:
		return invitation.Record{Kind: kind, ID: id, ProgrammeID: programmeID, OwnerAccountID: owner}, nil
	case codes.NotFound, codes.InvalidArgument:
		return invitation.Record{}, invitation.ErrRecordNotFound
	}
	return invitation.Record{}, fmt.Errorf("read %s %s from its service: %w", kind, id, err)
}

// Package parties reads the details a contract's document prints about its host and its
// student — names, birth dates, the host's address (the housing's), phones, emails, the host's
// legal representative — from the hosts and students services, with the contracts service's
// own identity (a service token, read-only methods). They are personal data: no event carries
// them and this service keeps no copy; they are read each time they are needed.
package parties

import (
	"context"
	"fmt"

	"google.golang.org/grpc"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/document"
	"github.com/cohabit/cohabit/services/platform/date"
)

// GRPC reads the parties from the hosts and students services.
type GRPC struct {
	hosts    hostsv1.HostServiceClient
	students studentsv1.StudentServiceClient
}

// New returns a reader over connections to the hosts and students services, as the
// contracts service (boot.Deps.Connect).
func New(hosts, students grpc.ClientConnInterface) *GRPC {
	return &GRPC{hosts: hostsv1.NewHostServiceClient(hosts), students: studentsv1.NewStudentServiceClient(students)}
}

// Host returns host id's details. Errors: the call's.
func (g *GRPC) Host(ctx context.Context, id string) (document.Host, error) {
	h, err := g.hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
	if err != nil {
		return document.Host{}, fmt.Errorf("read host %s: %w", id, err)
	}
	return Host(h), nil
}

// Student returns student id's details. Errors: the call's.
func (g *GRPC) Student(ctx context.Context, id string) (document.Student, error) {
	s, err := g.students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
	if err != nil {
		return document.Student{}, fmt.Errorf("read student %s: %w", id, err)
	}
	return Student(s), nil
}

// Host is what the document prints of h.
func Host(h *hostsv1.Host) document.Host {
	a := h.GetAddress()
	out := document.Host{
		Name: h.GetDisplayName(), BirthDate: day(h.GetBirthDate()),
		Address: document.Address{Line1: a.GetLine1(), Postcode: a.GetPostcode(), City: a.GetCity()},
		Phone:   h.GetPhone(), Email: h.GetEmail(), Assisted: h.GetAssisted(),
	}
	var measure string
	switch h.GetGuardianship() {
	case hostsv1.Guardianship_GUARDIANSHIP_TUTELLE:
		measure = document.MeasureTutelle
	case hostsv1.Guardianship_GUARDIANSHIP_CURATELLE:
		measure = document.MeasureCuratelle
	}
	if r := h.GetLegalRepresentative(); measure != "" || r.GetName() != "" {
		out.Representative = &document.Representative{
			Name: r.GetName(), Measure: measure, Relationship: r.GetRelationship(), Phone: r.GetPhone(), Email: r.GetEmail(),
		}
	}
	return out
}

// Student is what the document prints of s.
func Student(s *studentsv1.Student) document.Student {
	return document.Student{
		Name: s.GetDisplayName(), BirthDate: day(s.GetBirthDate()), Institution: s.GetInstitution(),
		Phone: s.GetPhone(), Email: s.GetEmail(), Female: s.GetGender() == typev1.Gender_GENDER_FEMALE,
	}
}

// day is the date s says, or the zero date (a blank on the document).
func day(s string) date.Date {
	d, err := date.Parse(s)
	if err != nil {
		return date.Date{}
	}
	return d
}

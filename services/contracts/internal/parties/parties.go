// Package parties reads the details a contract's document prints about its host and its
// student — names, birth dates, the host's address (the housing's), phones, emails, the host's
// legal representative — from the hosts and students services, with the contracts service's
// own identity (a service token, read-only methods). They are personal data: no event carries
// them and this service keeps no copy; they are read each time they are needed.
package parties

import (
	"context"
	"fmt"
	"sync"

	"google.golang.org/grpc"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	typev1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/type/v1"
	"github.com/cohabit/cohabit/services/contracts/internal/document"
	"github.com/cohabit/cohabit/services/platform/date"
)

// Dial connects to a service as the contracts service (boot.Deps.Dial).
type Dial func(target string) (*grpc.ClientConn, error)

// GRPC reads the parties from the hosts and students services. It connects on first use, to
// the address its functions give then: in the all-in-one runner the other services bind
// their ports while this one starts.
type GRPC struct {
	dial                    Dial
	hostsAddr, studentsAddr func() string

	mu       sync.Mutex
	conns    []*grpc.ClientConn
	hosts    hostsv1.HostServiceClient
	students studentsv1.StudentServiceClient
}

// New returns a reader that dials the addresses hostsAddr and studentsAddr return with dial.
func New(dial Dial, hostsAddr, studentsAddr func() string) *GRPC {
	return &GRPC{dial: dial, hostsAddr: hostsAddr, studentsAddr: studentsAddr}
}

func (g *GRPC) hostsClient() (hostsv1.HostServiceClient, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.hosts == nil {
		cc, err := g.dial(g.hostsAddr())
		if err != nil {
			return nil, fmt.Errorf("dial hosts: %w", err)
		}
		g.conns = append(g.conns, cc)
		g.hosts = hostsv1.NewHostServiceClient(cc)
	}
	return g.hosts, nil
}

func (g *GRPC) studentsClient() (studentsv1.StudentServiceClient, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.students == nil {
		cc, err := g.dial(g.studentsAddr())
		if err != nil {
			return nil, fmt.Errorf("dial students: %w", err)
		}
		g.conns = append(g.conns, cc)
		g.students = studentsv1.NewStudentServiceClient(cc)
	}
	return g.students, nil
}

// Close closes the connections made.
func (g *GRPC) Close() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, cc := range g.conns {
		_ = cc.Close()
	}
	g.conns, g.hosts, g.students = nil, nil, nil
}

// Host returns host id's details. Errors: the call's.
func (g *GRPC) Host(ctx context.Context, id string) (document.Host, error) {
	hosts, err := g.hostsClient()
	if err != nil {
		return document.Host{}, err
	}
	h, err := hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
	if err != nil {
		return document.Host{}, fmt.Errorf("read host %s: %w", id, err)
	}
	return Host(h), nil
}

// Student returns student id's details. Errors: the call's.
func (g *GRPC) Student(ctx context.Context, id string) (document.Student, error) {
	students, err := g.studentsClient()
	if err != nil {
		return document.Student{}, err
	}
	s, err := students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
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

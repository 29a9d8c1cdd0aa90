// Package contact reads how to reach a person from the service that owns their record (hosts
// GetHost, students GetStudent), at the moment a notification is planned or sent. Contact
// details are never copied into events, nor kept in the notifications database: a changed
// phone number is used from the next message on.
package contact

import (
	"context"
	"errors"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	hostsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/v1"
	identityv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/identity/v1"
	studentsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/v1"
	"github.com/cohabit/cohabit/services/notifications/internal/notice"
)

// Person is what a notification needs of its recipient, or of the other party.
type Person struct {
	Name     string
	Email    string
	Phone    string
	City     string
	Assisted bool
	// AccountID owns the record, "" for a person without an account.
	AccountID string
}

// Reach is what decides the channels.
func (p Person) Reach() notice.Reach {
	return notice.Reach{HasEmail: p.Email != "", HasPhone: p.Phone != "", Assisted: p.Assisted}
}

// ErrNotFound is a record its service does not know (erased, or never existed): nobody to tell.
var ErrNotFound = errors.New("no such person")

// Reader reads a person. Errors: ErrNotFound, or a transient failure (the caller retries).
type Reader interface {
	Read(ctx context.Context, kind notice.Kind, id string) (Person, error)
}

// GRPC reads hosts and students over gRPC, as the notifications service (a service token on
// every call: the connections come from boot.Deps.Dial). Coordinators' addresses are not
// readable from identity yet: Read returns an error for them, and their notifications stay
// FAILED with that reason until it is.
type GRPC struct {
	Hosts    hostsv1.HostServiceClient
	Students studentsv1.StudentServiceClient
	// Accounts reads an account's address from identity (GetAccount, service accounts only),
	// for a notice.Account recipient (WithAccounts).
	Accounts identityv1.IdentityServiceClient
}

// WithAccounts sets the connection to the identity service accounts are read from.
func (g *GRPC) WithAccounts(identity grpc.ClientConnInterface) *GRPC {
	g.Accounts = identityv1.NewIdentityServiceClient(identity)
	return g
}

// NewGRPC returns a reader over connections to the hosts and students services.
func NewGRPC(hosts, students grpc.ClientConnInterface) *GRPC {
	return &GRPC{Hosts: hostsv1.NewHostServiceClient(hosts), Students: studentsv1.NewStudentServiceClient(students)}
}

// ErrNoCoordinatorAddress is returned for a coordinator: no service serves their address yet.
var ErrNoCoordinatorAddress = errors.New("a coordinator's email is not readable from identity yet")

// Read implements Reader.
func (g *GRPC) Read(ctx context.Context, kind notice.Kind, id string) (Person, error) {
	switch kind {
	case notice.Host:
		h, err := g.Hosts.GetHost(ctx, &hostsv1.GetHostRequest{Id: id})
		if err != nil {
			return Person{}, readErr("host", err)
		}
		return Person{Name: h.GetDisplayName(), Email: h.GetEmail(), Phone: h.GetPhone(), City: h.GetAddress().GetCity(),
			Assisted: h.GetAssisted(), AccountID: h.GetOwnerAccountId()}, nil
	case notice.Student:
		s, err := g.Students.GetStudent(ctx, &studentsv1.GetStudentRequest{Id: id})
		if err != nil {
			return Person{}, readErr("student", err)
		}
		return Person{Name: s.GetDisplayName(), Email: s.GetEmail(), Phone: s.GetPhone(), City: s.GetStudyPlace().GetCity(),
			AccountID: s.GetOwnerAccountId()}, nil
	case notice.Account:
		if g.Accounts == nil {
			return Person{}, errors.New("read account: no connection to identity")
		}
		a, err := g.Accounts.GetAccount(ctx, &identityv1.GetAccountRequest{Id: id})
		if err != nil {
			return Person{}, readErr("account", err)
		}
		return Person{Email: a.GetEmail(), AccountID: a.GetId()}, nil
	default:
		return Person{}, ErrNoCoordinatorAddress
	}
}

func readErr(what string, err error) error {
	if status.Code(err) == codes.NotFound {
		return fmt.Errorf("read %s: %w", what, ErrNotFound)
	}
	return fmt.Errorf("read %s: %w", what, err)
}

// Invitations reads invitation codes from identity (GetInvitationCode, service accounts only).
type Invitations struct {
	Identity identityv1.IdentityServiceClient
}

// NewInvitations returns a reader over a connection to the identity service.
func NewInvitations(cc grpc.ClientConnInterface) *Invitations {
	return &Invitations{Identity: identityv1.NewIdentityServiceClient(cc)}
}

// ErrInvitationGone is an invitation used, replaced or expired.
var ErrInvitationGone = errors.New("the invitation is no longer valid")

// Code returns the code of a valid invitation. Errors: ErrInvitationGone, or a transient
// failure.
func (i *Invitations) Code(ctx context.Context, id string) (string, error) {
	c, err := i.Identity.GetInvitationCode(ctx, &identityv1.GetInvitationCodeRequest{Id: id})
	if status.Code(err) == codes.NotFound {
		return "", ErrInvitationGone
	}
	if err != nil {
		return "", fmt.Errorf("read invitation code: %w", err)
	}
	return c.GetCode(), nil
}

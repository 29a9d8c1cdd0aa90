// Package eventsub consumes other services' events that concern accounts: when a host or a
// student creates their own record, the account that owns it learns its id, so that /v1/me
// shows the link.
//
// Every event of interest is one entry of a table keyed by subject: which stream carries it,
// which kind of record it links, and how to read the owner and the record from its payload.
// Following a new kind of record is one more entry; the handling (inbox, errors) is shared.
package eventsub

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"

	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	hostseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/hosts/events/v1"
	studentseventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/students/events/v1"
	"github.com/cohabit/cohabit/services/identity/internal/account"
	"github.com/cohabit/cohabit/services/identity/internal/app"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/natsx"
)

// Consumer is the name under which the identity service claims events in its inbox.
const Consumer = "identity"

// Subjects this package follows.
const (
	SubjectHostRegistered    = "cohabit.hosts.host.registered"
	SubjectStudentRegistered = "cohabit.students.student.registered"
)

// Linker keeps identity's copy of a record and records that an account owns it (app.App).
type Linker interface {
	RecordRegistered(ctx context.Context, consumer, eventID string, rec app.Record) error
}

// link is how one subject's events name an owning account and the record it now owns.
type link struct {
	stream string
	kind   account.RecordKind
	// owner reads the owning account, the record and its programme; an empty accountID means
	// the record has no account (registered by a coordinator): identity keeps it, so that its
	// person can be invited to claim it.
	owner func(*eventsv1.Envelope) (accountID, recordID, programmeID string, err error)
}

// links is the table of followed subjects.
func links() map[string]link {
	return map[string]link{
		SubjectHostRegistered:    {stream: "HOSTS", kind: account.RecordHost, owner: hostOwner},
		SubjectStudentRegistered: {stream: "STUDENTS", kind: account.RecordStudent, owner: studentOwner},
	}
}

func studentOwner(e *eventsv1.Envelope) (string, string, string, error) {
	p, err := event.Payload(e, &studentseventsv1.StudentRegistered{})
	if err != nil {
		return "", "", "", err
	}
	st := p.GetStudent()
	return st.GetOwnerAccountId(), st.GetStudentId(), st.GetProgrammeId(), nil
}

func hostOwner(e *eventsv1.Envelope) (string, string, string, error) {
	p, err := event.Payload(e, &hostseventsv1.HostRegistered{})
	if err != nil {
		return "", "", "", err
	}
	h := p.GetHost()
	return h.GetOwnerAccountId(), h.GetHostId(), h.GetProgrammeId(), nil
}

// Consumers returns one durable consumer per source stream, named "identity-<stream>".
func Consumers(l Linker, log *slog.Logger) []*natsx.Consumer {
	table := links()
	byStream := map[string][]string{}
	for subject, lk := range table {
		byStream[lk.stream] = append(byStream[lk.stream], subject)
	}
	h := &handler{linker: l, links: table}
	var out []*natsx.Consumer
	for stream, subjects := range byStream {
		slices.Sort(subjects)
		out = append(out, &natsx.Consumer{
			Stream:   stream,
			Durable:  Consumer + "-" + strings.ToLower(stream),
			Subjects: subjects,
			Handle:   h.handle,
			Log:      log,
		})
	}
	slices.SortFunc(out, func(a, b *natsx.Consumer) int { return strings.Compare(a.Stream, b.Stream) })
	return out
}

type handler struct {
	linker Linker
	links  map[string]link
}

// handle links the record. Whatever no retry can fix (a malformed event, an unknown account,
// an account that cannot own the record) is terminated, and logged by natsx; anything else is
// retried later.
func (h *handler) handle(ctx context.Context, e *eventsv1.Envelope) error {
	lk, ok := h.links[e.GetType()]
	if !ok {
		return nil // not followed: the consumer's filter lets it through only by mistake
	}
	if uuid.Validate(e.GetId()) != nil {
		return fmt.Errorf("%w: event id %q is not a UUID", natsx.ErrPermanent, e.GetId())
	}
	accountID, recordID, programmeID, err := lk.owner(e)
	if err != nil {
		return fmt.Errorf("%w: %w", natsx.ErrPermanent, err)
	}
	if recordID == "" {
		return fmt.Errorf("%w: %s names no record", natsx.ErrPermanent, e.GetType())
	}
	err = h.linker.RecordRegistered(ctx, Consumer, e.GetId(), app.Record{Kind: lk.kind, ID: recordID, ProgrammeID: programmeID, OwnerAccountID: accountID})
	switch errs.CodeOf(err) {
	case codes.OK:
		return nil
	case codes.NotFound, codes.FailedPrecondition, codes.InvalidArgument:
		return fmt.Errorf("%w: link %s %s to account %s: %w", natsx.ErrPermanent, lk.kind, recordID, accountID, err)
	}
	return fmt.Errorf("link %s %s to account %s: %w", lk.kind, recordID, accountID, err)
}

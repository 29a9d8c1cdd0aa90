// Package audit records, in every service, each read or change of a person's data by a
// coordinator or an admin (SPEC §9): a gRPC interceptor, after a successful call, finds the
// people the request and the answer name (ids only) and writes one fact to the service's
// outbox, published as cohabit.<service>.audit.recorded. The identity service keeps them in
// its append-only table and lists them. An interceptor rather than a line in each handler,
// so that no handler, and no service added later, can forget it.
package audit

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/cohabit/cohabit/proto/eventcat"
	"github.com/cohabit/cohabit/proto/eventcat/all"
	eventsv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/events/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/event"
	"github.com/cohabit/cohabit/services/platform/ids"
	"github.com/cohabit/cohabit/services/platform/outbox"
	"github.com/cohabit/cohabit/services/platform/pg"
)

// Event is the event a service's audit facts are published as (cohabit.<service>.audit.recorded,
// on its stream), from the event catalogue.
func Event(service string) (eventcat.Event[*eventsv1.AuditRecorded], error) {
	ev, ok := all.Audit(service)
	if !ok {
		return ev, fmt.Errorf("audit: the event catalogue has no stream of service %q", service)
	}
	return ev, nil
}

// Actions, as the facts carry them.
const (
	ActionRead   = "read"
	ActionChange = "change"
)

// Kinds of person.
const (
	Host    = "host"
	Student = "student"
)

// readVerbs start the names of the methods that only read.
var readVerbs = []string{"Get", "List", "Search", "Export", "Compute", "Rank"}

// Action says whether method (a full gRPC method name) reads or changes.
func Action(method string) string {
	name := method[strings.LastIndex(method, "/")+1:]
	for _, v := range readVerbs {
		if strings.HasPrefix(name, v) {
			return ActionRead
		}
	}
	return ActionChange
}

// ErrNotRecorded: a read or change that could not be recorded is not served.
var ErrNotRecorded = errs.Unavailable("AUDIT_UNAVAILABLE", "the access could not be recorded: try again")

// Interceptor records the calls of coordinators and admins that name a person, through the
// outbox of db, as service's facts. A call that fails is not recorded (nothing was shown or
// changed); a call whose fact cannot be written fails (no unrecorded access).
func Interceptor(service string, db pg.Beginner, now func() time.Time) grpc.UnaryServerInterceptor {
	if now == nil {
		now = time.Now
	}
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		resp, err := handler(ctx, req)
		if err != nil {
			return resp, err
		}
		p, ok := auth.FromContext(ctx)
		if !ok || (p.Role != auth.RoleCoordinator && p.Role != auth.RoleAdmin) {
			return resp, nil
		}
		subjects := Collect(req, resp)
		if len(subjects) == 0 {
			return resp, nil
		}
		fact := &eventsv1.AuditRecorded{
			Time: timestamppb.New(now()), ActorId: p.AccountID, ActorRole: string(p.Role), ActorProgrammeId: p.ProgrammeID,
			Action: Action(info.FullMethod), Method: info.FullMethod, Subjects: subjects,
		}
		kind, err := Event(service)
		var ev *eventsv1.Envelope
		if err == nil {
			ev, err = event.Of(kind, p.ProgrammeID, now(), fact)
		}
		if err == nil {
			err = pg.InTx(ctx, db, func(tx pgx.Tx) error { return outbox.Append(ctx, tx, ev) })
		}
		if err != nil {
			return nil, ErrNotRecorded.WithCause(fmt.Errorf("record %s: %w", info.FullMethod, err))
		}
		return resp, nil
	}
}

// Collect returns the people the messages name, each once, in order: the host_id and
// student_id fields anywhere in them; the id of a Host or a Student message, or of a request
// about one (GetHostRequest, EraseStudentRequest, WithdrawHostConsentRequest…); owner_id, recipient_id, subject_id and
// person_id fields, whose kind the identity service finds from its copy of the records. Only
// UUIDs count: a field holding something else names no one.
func Collect(msgs ...any) []*eventsv1.AuditSubject {
	var out []*eventsv1.AuditSubject
	seen := map[string]bool{}
	add := func(id, kind string) {
		if !ids.Valid(id) || seen[id] {
			return
		}
		seen[id] = true
		out = append(out, &eventsv1.AuditSubject{Id: id, Kind: kind})
	}
	for _, m := range msgs {
		if pm, ok := m.(proto.Message); ok && pm != nil {
			walk(pm.ProtoReflect(), 0, add)
		}
	}
	return out
}

// maxDepth bounds the walk: the platform's messages nest a few levels at most.
const maxDepth = 8

func walk(m protoreflect.Message, depth int, add func(id, kind string)) {
	if depth > maxDepth || !m.IsValid() {
		return
	}
	name := string(m.Descriptor().Name())
	idKind := ""
	switch {
	case name == "Host" || aboutOne(name, "Host", "Room"):
		idKind = Host
	case name == "Student" || aboutOne(name, "Student", "Application"):
		idKind = Student
	}
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.Kind() == protoreflect.StringKind && fd.Cardinality() != protoreflect.Repeated:
			switch fd.Name() {
			case "host_id":
				add(v.String(), Host)
			case "student_id":
				add(v.String(), Student)
			case "id":
				if idKind != "" {
					add(v.String(), idKind)
				}
			case "owner_id", "recipient_id", "subject_id", "person_id":
				add(v.String(), "")
			}
		case fd.Kind() == protoreflect.MessageKind && fd.IsList():
			l := v.List()
			for i := range l.Len() {
				walk(l.Get(i).Message(), depth+1, add)
			}
		case fd.Kind() == protoreflect.MessageKind && fd.IsMap():
			if fd.MapValue().Kind() == protoreflect.MessageKind {
				v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
					walk(mv.Message(), depth+1, add)
					return true
				})
			}
		case fd.Kind() == protoreflect.MessageKind:
			walk(v.Message(), depth+1, add)
		}
		return true
	})
}

// aboutOne says whether a request message's id names one record of kind: GetHostRequest,
// WithdrawHostConsentRequest; not a list (ListHostsRequest) nor a request about a record
// the person owns (GetRoomRequest names the room).
func aboutOne(name, kind, owned string) bool {
	return strings.HasSuffix(name, "Request") && strings.Contains(name, kind) &&
		!strings.Contains(name, kind+"s") && !strings.Contains(name, owned)
}

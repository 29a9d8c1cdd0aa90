// Package export is each service's part of a person's export (SPEC §9, GDPR arts. 15 and 20):
// the cohabit.privacy.v1.PersonalDataService every service serves, answering with one JSON
// document (and the person's files, for the desk). The gateway calls it on every service in
// parallel with the caller's token and zips the answers; each service decides, on its own
// copy of who the person is, whether the caller may read it — the person themself or a
// coordinator of their programme — and returns nothing about anyone else.
package export

import (
	"context"
	"encoding/json"
	"fmt"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"

	privacyv1 "github.com/cohabit/cohabit/proto/gen/go/cohabit/privacy/v1"
	"github.com/cohabit/cohabit/services/platform/auth"
	"github.com/cohabit/cohabit/services/platform/errs"
	"github.com/cohabit/cohabit/services/platform/grpcx"
	"github.com/cohabit/cohabit/services/platform/ids"
)

// Kind is which record a person is.
type Kind string

// The kinds of person.
const (
	Host    Kind = "host"
	Student Kind = "student"
)

// Person is whose export is asked.
type Person struct {
	ID   string
	Kind Kind
}

// File is one file of a person's export.
type File struct {
	Name, ContentType string
	Content           []byte
}

// Part is what a service holds about the person: named values, each a proto message, a list
// of them, or anything encoding/json writes; and files. A zero Part says the service holds
// nothing about them (or nothing the caller may read).
type Part struct {
	Fields map[string]any
	Files  []File
}

// Exporter gathers a service's part. It returns an empty Part, not an error, for a person it
// does not know or the caller may not read: only the record's owner service answers NotFound.
type Exporter func(ctx context.Context, p Person) (Part, error)

// Policy is who may call the export at all: the person (host or student) and coordinators;
// each Exporter then checks the record.
var Policy = grpcx.Policy{
	privacyv1.PersonalDataService_ExportPersonalData_FullMethodName: grpcx.Roles(auth.RoleHost, auth.RoleStudent, auth.RoleCoordinator),
}

// MayRead says whether caller may read the data of a person of programmeID owned by the
// account ownerAccountID ("" for a person without an account).
func MayRead(caller auth.Principal, programmeID, ownerAccountID string) bool {
	if caller.CoordinatesProgramme(programmeID) {
		return true
	}
	return ownerAccountID != "" && caller.AccountID == ownerAccountID &&
		(caller.Role == auth.RoleHost || caller.Role == auth.RoleStudent)
}

// Caller is the principal of ctx; Unauthenticated without one.
func Caller(ctx context.Context) (auth.Principal, error) {
	p, ok := auth.FromContext(ctx)
	if !ok {
		return auth.Principal{}, errs.Unauthenticated("UNAUTHENTICATED", "sign in first")
	}
	return p, nil
}

// Register serves the PersonalDataService of service on s with fn.
func Register(s grpc.ServiceRegistrar, service string, fn Exporter) {
	privacyv1.RegisterPersonalDataServiceServer(s, &server{service: service, fn: fn})
}

type server struct {
	privacyv1.UnimplementedPersonalDataServiceServer
	service string
	fn      Exporter
}

func (s *server) ExportPersonalData(ctx context.Context, in *privacyv1.ExportPersonalDataRequest) (*privacyv1.ExportPersonalDataResponse, error) {
	p := Person{ID: in.GetPersonId()}
	var v errs.Violations
	v.Check(ids.Valid(p.ID), "personId", "must be the id of a host or a student")
	switch in.GetKind() {
	case privacyv1.PersonKind_PERSON_KIND_HOST:
		p.Kind = Host
	case privacyv1.PersonKind_PERSON_KIND_STUDENT:
		p.Kind = Student
	default:
		v.Add("kind", "must be PERSON_KIND_HOST or PERSON_KIND_STUDENT")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	part, err := s.fn(ctx, p)
	if err != nil {
		return nil, err
	}
	doc, err := Encode(part.Fields)
	if err != nil {
		return nil, fmt.Errorf("export %s of %s: %w", s.service, p.ID, err)
	}
	out := &privacyv1.ExportPersonalDataResponse{Service: s.service, Json: doc}
	for _, f := range part.Files {
		out.Files = append(out.Files, &privacyv1.ExportedFile{Name: f.Name, ContentType: f.ContentType, Content: f.Content})
	}
	return out, nil
}

// Encode writes fields as one JSON object: proto messages as the REST API writes them
// (lowerCamelCase, every field present), other values as encoding/json does.
func Encode(fields map[string]any) ([]byte, error) {
	out := make(map[string]json.RawMessage, len(fields))
	for k, v := range fields {
		raw, err := encodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", k, err)
		}
		out[k] = raw
	}
	return json.MarshalIndent(out, "", "  ")
}

var pj = protojson.MarshalOptions{EmitUnpopulated: true}

func encodeValue(v any) (json.RawMessage, error) {
	switch m := v.(type) {
	case proto.Message:
		return pj.Marshal(m)
	case []proto.Message:
		items := make([]json.RawMessage, 0, len(m))
		for _, x := range m {
			raw, err := pj.Marshal(x)
			if err != nil {
				return nil, err
			}
			items = append(items, raw)
		}
		return json.Marshal(items)
	}
	return json.Marshal(v)
}

// With returns policy with the export's method added.
func With(policy grpcx.Policy) grpcx.Policy {
	out := make(grpcx.Policy, len(policy)+len(Policy))
	for k, v := range policy {
		out[k] = v
	}
	for k, v := range Policy {
		out[k] = v
	}
	return out
}

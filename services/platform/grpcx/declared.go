package grpcx

import (
	"errors"
	"fmt"
	"strings"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// The rules a request message declares on its own fields (protovalidate's annotations in the
// .proto files), checked by the same interceptor as the platform's floor (rules.go), after
// it. Three places hold input rules, and none says what another says:
//
//   - the floor holds what every field of every request obeys without being told: text
//     hygiene, the default maxima of text (1,000 characters, 10,000 multi-line) and of lists
//     (1,000 items), finite numbers, defined enum values, no UNSPECIFIED nor duplicate in a
//     list of enum values (so such a list is bounded by its enum), instants in 1900..2199;
//   - the declarations hold what only a given field knows and no domain rule says: a single
//     enum that is required (its UNSPECIFIED refused: a severity, a check-in's method, a
//     document's kind, an account's role, an export's kind), the maxima of identifiers,
//     etags and file names, a contract's room area;
//   - the domain keeps the rules it already names in context (a room of 9 to 200 m², the
//     programme's contribution cap, a birth date's age bounds, a position's latitude), so
//     that it still names every bad field of a request at once; calendar days (YYYY-MM-DD
//     text) are platform/date's (1900..2199), and references to other records (a room of
//     the application's programme) the use cases'.
//
// A violation is named like the floor's: the JSON name of the field as the client wrote it
// (dotted for nesting, the resource's own field stripped off the body of Create and Update).
var declared = mustValidator()

func mustValidator() protovalidate.Validator {
	v, err := protovalidate.New()
	if err != nil {
		panic(fmt.Sprintf("grpcx: protovalidate: %v", err))
	}
	return v
}

// checkDeclared adds the violations of m's declared rules to v, except on fields the floor
// already refused (one answer per problem).
func checkDeclared(m proto.Message, strip protoreflect.Name, v *errs.Violations) error {
	err := declared.Validate(m)
	if err == nil {
		return nil
	}
	var ve *protovalidate.ValidationError
	if !errors.As(err, &ve) {
		// A rule that does not compile or cannot run is our fault, not the client's.
		return fmt.Errorf("check declared rules of %s: %w", m.ProtoReflect().Descriptor().FullName(), err)
	}
	named := make(map[string]bool, len(*v))
	for _, x := range *v {
		named[x.Field] = true
	}
	for _, x := range ve.Violations {
		field := declaredField(m.ProtoReflect().Descriptor(), x, strip)
		if named[field] {
			continue
		}
		msg := x.Proto.GetMessage()
		if msg == "" {
			msg = "is not valid (" + x.Proto.GetRuleId() + ")"
		}
		msg = strings.TrimPrefix(msg, "value ")
		v.Add(field, "%s", msg)
	}
	return nil
}

// declaredField names a violation's field from its path, in JSON names: subscripts (list
// indices, map keys) are left out, as the floor leaves them out.
func declaredField(md protoreflect.MessageDescriptor, x *protovalidate.Violation, strip protoreflect.Name) string {
	var parts []string
	elements := x.Proto.GetField().GetElements()
	for i, el := range elements {
		var fd protoreflect.FieldDescriptor
		if md != nil {
			fd = md.Fields().ByNumber(protoreflect.FieldNumber(el.GetFieldNumber()))
		}
		name := el.GetFieldName()
		if fd != nil {
			name = fd.JSONName()
			md = fd.Message()
			if fd.IsMap() {
				md = fd.MapValue().Message()
			}
		} else {
			md = nil
		}
		if i == 0 && len(elements) > 1 && strip != "" && protoreflect.Name(el.GetFieldName()) == strip {
			continue
		}
		parts = append(parts, name)
	}
	return strings.Join(parts, ".")
}

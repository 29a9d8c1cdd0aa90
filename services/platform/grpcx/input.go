package grpcx

import (
	"context"
	"math"
	"path"
	"strings"
	"unicode"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/cohabit/cohabit/services/platform/errs"
)

// checkInput is the platform's one input hygiene rule, applied to every request of every
// service before any handler sees it (rules.go says what it refuses and why), then the
// rules the request message declares on its fields (declared.go). Each bad field is named,
// so the answer is a 400 that says where, whatever the service.
func (i *interceptors) checkInput(ctx context.Context, req any, info *grpc.UnaryServerInfo, next grpc.UnaryHandler) (any, error) {
	if m, ok := req.(proto.Message); ok {
		var v errs.Violations
		strip := resourcePrefix(info.FullMethod, m.ProtoReflect())
		walkInput(m.ProtoReflect(), strip, &v)
		if err := checkDeclared(m, strip, &v); err != nil {
			return nil, err
		}
		if err := v.Err(); err != nil {
			return nil, err
		}
	}
	return next(ctx, req)
}

// resourcePrefix is the request field whose contents the REST body is (CreateRoom's
// `room`): violations inside it are named from the body, as the client wrote them.
func resourcePrefix(method string, m protoreflect.Message) protoreflect.Name {
	name := path.Base(method)
	for _, verb := range []string{"Create", "Update"} {
		if res, ok := strings.CutPrefix(name, verb); ok && res != "" {
			r := []rune(res)
			r[0] = unicode.ToLower(r[0])
			f := m.Descriptor().Fields().ByName(protoreflect.Name(toSnake(string(r))))
			if f != nil && f.Kind() == protoreflect.MessageKind && !f.IsList() && !f.IsMap() {
				return f.Name()
			}
		}
	}
	return ""
}

func toSnake(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsUpper(r) {
			b.WriteByte('_')
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// maxInputDepth bounds the walk: requests are shallow, and a hostile nesting of a
// recursive message (google.protobuf.Struct) must not cost more than a glance.
const maxInputDepth = 16

func walkInput(m protoreflect.Message, strip protoreflect.Name, v *errs.Violations) {
	var walk func(m protoreflect.Message, prefix string, depth int)
	walk = func(m protoreflect.Message, prefix string, depth int) {
		if depth > maxInputDepth {
			return
		}
		m.Range(func(fd protoreflect.FieldDescriptor, val protoreflect.Value) bool {
			field := fd.JSONName()
			switch {
			case depth == 0 && fd.Name() == strip:
				field = ""
			case prefix != "":
				field = prefix + "." + field
			}
			check := func(field string, val protoreflect.Value) {
				switch fd.Kind() {
				case protoreflect.StringKind:
					checkText(v, field, fd, val.String())
				case protoreflect.DoubleKind, protoreflect.FloatKind:
					if f := val.Float(); math.IsNaN(f) || math.IsInf(f, 0) {
						v.Add(field, "must be a finite number")
					}
				case protoreflect.EnumKind:
					if fd.Enum().Values().ByNumber(val.Enum()) == nil {
						v.Add(field, "is not one of the values this field takes")
					}
				case protoreflect.MessageKind, protoreflect.GroupKind:
					if !checkInstant(v, field, val.Message()) {
						walk(val.Message(), field, depth+1)
					}
				}
			}
			switch {
			case fd.IsList():
				l := val.List()
				if l.Len() > maxItems {
					v.Add(field, "must have at most %d items", maxItems)
					return true
				}
				for j := 0; j < l.Len(); j++ {
					check(field, l.Get(j))
				}
				if fd.Kind() == protoreflect.EnumKind {
					checkEnumList(v, field, l)
				}
			case fd.IsMap():
				if val.Map().Len() > maxItems {
					v.Add(field, "must have at most %d entries", maxItems)
					return true
				}
				val.Map().Range(func(k protoreflect.MapKey, mv protoreflect.Value) bool {
					if fd.MapKey().Kind() == protoreflect.StringKind {
						checkText(v, field, fd.MapKey(), k.String())
					}
					check(field, mv)
					return true
				})
			default:
				check(field, val)
			}
			return true
		})
	}
	walk(m, "", 0)
}

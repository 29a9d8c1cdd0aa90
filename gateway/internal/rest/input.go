package rest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
)

// Bad input the gateway itself meets — a body that is not the JSON of the request, a query
// parameter of the wrong type, text that is not UTF-8 — is refused like the services refuse
// theirs: 400 INVALID_ARGUMENT naming the field (issue 18: about 1,700 of 2,500 refusals
// named none, and invalid UTF-8 in a path or query reached the gRPC client as a 500).

// checkUTF8 refuses a path parameter or query parameter that is not UTF-8 before it becomes
// a proto string (which gRPC then fails to marshal).
func checkUTF8(next runtime.HandlerFunc) runtime.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, params map[string]string) {
		var bad []string
		for name, v := range params {
			if !utf8.ValidString(v) {
				bad = append(bad, name)
			}
		}
		for name, vs := range r.URL.Query() {
			for _, v := range vs {
				if !utf8.ValidString(v) || !utf8.ValidString(name) {
					bad = append(bad, strings.ToValidUTF8(name, "�"))
					break
				}
			}
		}
		if len(bad) > 0 {
			sort.Strings(bad)
			writeStatus(w, invalid("must be valid UTF-8", bad...))
			return
		}
		next(w, r, params)
	}
}

// invalid is an INVALID_ARGUMENT status naming fields.
func invalid(description string, fields ...string) *status.Status {
	br := &errdetails.BadRequest{}
	for _, f := range fields {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: f, Description: description})
	}
	s := status.New(codes.InvalidArgument, fmt.Sprintf("%s: %s", strings.Join(fields, ", "), description))
	info := &errdetails.ErrorInfo{Reason: "INVALID_ARGUMENT", Domain: "cohabit"}
	if d, err := s.WithDetails(info, br); err == nil {
		return d
	}
	return s
}

func writeStatus(w http.ResponseWriter, s *status.Status) {
	b, err := protojson.Marshal(s.Proto())
	if err != nil {
		b = []byte(`{"code":3,"message":"invalid argument"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(runtime.HTTPStatusFromCode(s.Code()))
	_, _ = w.Write(b)
}

var (
	// What the gateway's decoders write: grpc-gateway for query and path parameters,
	// protojson for bodies (and decoder below, which names the field a syntax error is in).
	namedField   = regexp.MustCompile(`field "([^"]{1,200})"`)
	invalidValue = regexp.MustCompile(`invalid value for [a-zA-Z0-9.]+ field ([A-Za-z0-9_]+)`)
)

// nameField gives a status of bad input from the gateway itself (INVALID_ARGUMENT with no
// details: the services always send some) the field its message speaks of, or "body".
func nameField(s *status.Status) *status.Status {
	if s.Code() != codes.InvalidArgument || len(s.Details()) > 0 {
		return s
	}
	field := "body"
	if m := namedField.FindStringSubmatch(s.Message()); m != nil {
		field = m[1]
	} else if m := invalidValue.FindStringSubmatch(s.Message()); m != nil {
		field = m[1]
	}
	return invalid(s.Message(), field)
}

// fieldJSON is the JSON marshaler whose decoder names the field a decoding error is in.
type fieldJSON struct{ *runtime.JSONPb }

func (j fieldJSON) NewDecoder(r io.Reader) runtime.Decoder {
	return runtime.DecoderFunc(func(v any) error {
		body, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(body)) == 0 {
			return io.EOF
		}
		err = j.JSONPb.Unmarshal(body, v)
		if err == nil || namedField.MatchString(err.Error()) || invalidValue.MatchString(err.Error()) {
			return err
		}
		return fmt.Errorf("field %q: %w", fieldAt(body, errorOffset(body, err)), err)
	})
}

var position = regexp.MustCompile(`\(line (\d+):(\d+)\)`)

// errorOffset is the byte offset protojson's "(line L:C)" points at, or the end.
func errorOffset(body []byte, err error) int {
	m := position.FindStringSubmatch(err.Error())
	if m == nil {
		// "unexpected EOF": the body stops short, in its last member.
		return len(body)
	}
	line, _ := strconv.Atoi(m[1])
	col, _ := strconv.Atoi(m[2])
	off := 0
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(body[off:], '\n')
		if i < 0 {
			return -1
		}
		off += i + 1
	}
	return off + col - 1
}

// fieldAt is the path ("address.postcode") of the member whose value is at or encloses
// offset in body, or "body" when there is none (the body itself is not an object).
func fieldAt(body []byte, offset int) string {
	if offset < 0 {
		return "body"
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	type frame struct {
		object bool
		key    string
	}
	var stack []frame
	expectKey := false
	best := "body"
	path := func() string {
		var parts []string
		for _, f := range stack {
			if f.object && f.key != "" {
				parts = append(parts, f.key)
			}
		}
		return strings.Join(parts, ".")
	}
	for {
		if int(dec.InputOffset()) > offset {
			break
		}
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, frame{object: true})
				expectKey = true
				continue
			case '[':
				stack = append(stack, frame{})
			case '}', ']':
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			}
		case string:
			if expectKey && len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].key = t
				if p := path(); p != "" {
					best = p
				}
				expectKey = false
				continue
			}
		}
		// After a value, the next string in an object is a key.
		if len(stack) > 0 && stack[len(stack)-1].object {
			expectKey = true
		}
	}
	return best
}
